package io.localmodels.operator.faults;

import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.OllamaAnswers;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared {@link FakeOllama} with the ways a real server goes wrong on {@code /api/chat}: it hangs before
 * answering, trickles its answer a byte at a time, resets the connection, or sends broken JSON. Everything but
 * chat is the fake's normal behaviour, so pulls and tag listings work as usual.
 */
final class FaultyOllama extends Dispatcher {

    /** How the next chat calls go wrong; {@link #NONE} answers well. */
    enum Fault { NONE, FAIL, HANG, TRICKLE, RESET, TRUNCATED_JSON, GARBLED }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    final FakeOllama fake = new FakeOllama();
    private final AtomicLong chats = new AtomicLong();
    private volatile Fault fault = Fault.NONE;

    FaultyOllama(String model) {
        fake.addModel(model, "b".repeat(64), 1000);
    }

    void fault(Fault next) {
        fault = next;
    }

    long chats() {
        return chats.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (!request.getUrl().encodedPath().equals("/api/chat") || isWarmUp(request)) {
            // a warm-up only loads the model: the faults are those of generations
            return fake.dispatch(request);
        }
        chats.incrementAndGet();
        String good = OllamaAnswers.chatBody("m", "OK", 12, 300_000_000L);
        return switch (fault) {
            case NONE -> OllamaAnswers.json(200, good);
            case FAIL -> OllamaAnswers.error(500, "llama runner process has terminated");
            // accepts the request and never sends a byte
            case HANG -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
            // headers at once, then one byte every 100 ms: each read succeeds, only a deadline on the whole call ends it
            case TRICKLE -> new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body(good).throttleBody(1, 100, TimeUnit.MILLISECONDS).build();
            case RESET -> new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
            case TRUNCATED_JSON -> OllamaAnswers.json(200, good.substring(0, good.length() / 2));
            case GARBLED -> OllamaAnswers.json(200, "\u0000\u001f\u008b garbage <html>502 Bad Gateway</html>");
        };
    }

    private static boolean isWarmUp(RecordedRequest request) {
        try {
            var messages = JSON.readTree(request.getBody() == null ? "{}" : request.getBody().utf8()).path("messages");
            return messages.isMissingNode() || messages.isEmpty();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        fake.close();
    }
}
