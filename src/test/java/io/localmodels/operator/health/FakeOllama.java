package io.localmodels.operator.health;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A MockWebServer dispatcher that behaves like an Ollama whose state the test switches: answering (each answer a
 * little faster than the last, so the statistics move), failing with 500, or stalling.
 */
public final class FakeOllama extends Dispatcher {

    /** How chat calls are answered. */
    public enum Mode { ANSWER, FAIL, STALL }

    private volatile Mode mode = Mode.ANSWER;
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong chats = new AtomicLong();

    public void mode(Mode next) {
        this.mode = next;
    }

    public long chats() {
        return chats.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.equals("/api/show")) {
            return OllamaAnswers.show("completion");
        }
        if (path.equals("/api/tags")) {
            return OllamaAnswers.json(200, "{\"models\":[]}");
        }
        if (!path.equals("/api/chat")) {
            return OllamaAnswers.error(404, "404 page not found");
        }
        chats.incrementAndGet();
        return switch (mode) {
            case ANSWER -> OllamaAnswers.chat("m", "OK", 10 + answers.incrementAndGet(), 500_000_000L);
            case FAIL -> OllamaAnswers.error(500, "llama runner process has terminated");
            case STALL -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
        };
    }
}
