package io.localmodels.operator.testing;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatchException;

/**
 * Teaches the CRUD mock API server how a real one answers a JSON patch it cannot apply, e.g. one whose {@code test}
 * of the resource version fails because the object changed: 422 Unprocessable Entity with a Status. The mock throws
 * instead and never answers, so the client waits for its request timeout.
 */
public final class JsonPatchFailures extends Dispatcher {

    private final Dispatcher next;

    public JsonPatchFailures(Dispatcher next) {
        this.next = next;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            return next.dispatch(request);
        } catch (RuntimeException e) {
            if (!"PATCH".equals(request.getMethod()) || !causedByPatch(e)) {
                throw e;
            }
            String message = String.valueOf(e.getMessage()).replace("\"", "'");
            return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json")
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\""
                            + message + "\",\"reason\":\"Invalid\",\"code\":422}");
        }
    }

    private static boolean causedByPatch(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonPatchException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void shutdown() {
        next.shutdown();
    }
}
