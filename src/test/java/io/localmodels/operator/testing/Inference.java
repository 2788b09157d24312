package io.localmodels.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code /api/chat}, {@code /api/generate} or {@code /api/embed} request to the {@link FakeOllama}, handled in
 * the order of Ollama 0.12.6's handlers ({@code server/routes.go}): the model must exist, {@code keep_alive} must
 * parse, the model must have the capability, then the request waits for the runner (loading it), and a request that
 * generates waits for a free slot.
 */
final class Inference {

    private static final long PROMPT_EVAL_NANOS = 38_380_900L;
    private static final long EVAL_NANOS = 500_000_000L;

    private final FakeOllama server;
    private final JsonNode body;
    private final String requested;

    Inference(FakeOllama server, RecordedRequest request) {
        this.server = server;
        this.body = FakeOllama.body(request);
        this.requested = body == null ? "" : body.path("model").asText("");
    }

    MockResponse chat() throws InterruptedException {
        MockResponse refused = badRequest();
        if (refused != null) {
            return refused;
        }
        Duration keepAlive = KeepAliveField.read(body);
        JsonNode messages = body.path("messages");
        boolean warmUp = messages.isMissingNode() || messages.isNull() || messages.isEmpty();
        if (warmUp && Duration.ZERO.equals(keepAlive)) {
            server.model(requested).unload();
            return OllamaAnswers.json(200, OllamaAnswers.chatUnloadedBody(requested, server.now().toString()));
        }
        refused = lacksCompletion("chat");
        if (refused != null) {
            return refused;
        }
        if (!warmUp) {
            MockResponse broken = brokenRunner();
            if (broken != null) {
                return broken;
            }
        }
        return generation(keepAlive, warmUp, true);
    }

    MockResponse generate() throws InterruptedException {
        MockResponse refused = badRequest();
        if (refused == null) {
            refused = lacksCompletion("generate");
        }
        if (refused != null) {
            return refused;
        }
        boolean warmUp = body.path("prompt").asText("").isEmpty();
        if (!warmUp) {
            MockResponse broken = brokenRunner();
            if (broken != null) {
                return broken;
            }
        }
        return generation(KeepAliveField.read(body), warmUp, false);
    }

    MockResponse embed() throws InterruptedException {
        MockResponse refused = badRequest();
        if (refused != null) {
            return refused;
        }
        List<String> inputs = new ArrayList<>();
        JsonNode input = body.path("input");
        if (input.isTextual() && !input.asText().isEmpty()) {
            inputs.add(input.asText());
        } else if (input.isArray()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) {
                    return OllamaAnswers.errorMessage(400, "invalid input type");
                }
                inputs.add(item.asText());
            }
        } else if (!input.isMissingNode() && !input.isNull() && !input.isTextual()) {
            return OllamaAnswers.errorMessage(400, "invalid input type");
        }
        Duration keepAlive = KeepAliveField.read(body);
        FakeModel model = server.model(requested);
        long start = System.nanoTime();
        FakeModel.RunnerWait runner = model.awaitRunner(keepAlive);
        MockResponse notRunning = notRunning(runner);
        if (notRunning != null) {
            return notRunning;
        }
        if (inputs.isEmpty()) {
            model.used();
            return OllamaAnswers.json(200, OllamaAnswers.embedBody(requested, List.of(), 0, 0, 0));
        }
        SlotHold slot = model.awaitSlot(runner.slots());
        if (slot == null) {
            return cancelled();
        }
        try {
            List<float[]> vectors = inputs.stream().map(text -> vector(text, model.dimensions())).toList();
            long tokens = inputs.stream().mapToLong(text -> text.split("\\s+").length).sum();
            long total = System.nanoTime() - start + 20_000_000L * inputs.size();
            return OllamaAnswers.json(200, OllamaAnswers.embedBody(requested, vectors, total, runner.nanos(), tokens));
        } finally {
            slot.release();
            model.used();
        }
    }

    /** 400 for a missing body or a keep_alive that does not parse (the JSON binding), 404 for a model not on disk. */
    private MockResponse badRequest() {
        if (body == null) {
            return OllamaAnswers.errorMessage(400, "missing request body");
        }
        try {
            KeepAliveField.read(body);
        } catch (IllegalArgumentException e) {
            return OllamaAnswers.errorMessage(400, e.getMessage());
        }
        if (server.onlyModelsOnDiskAnswer() && !server.onDisk(requested)) {
            return OllamaAnswers.errorMessage(404, "model '" + requested + "' not found");
        }
        return null;
    }

    private MockResponse lacksCompletion(String verb) {
        if (!server.model(requested).completes()) {
            // errCapabilityCompletion, checked before any load
            return OllamaAnswers.errorMessage(400, "\"" + requested + "\" does not support " + verb);
        }
        return null;
    }

    /** The test's {@link FakeOllama.Mode}: a runner that fails or hangs on every generation. */
    private MockResponse brokenRunner() {
        return switch (server.mode()) {
            case ANSWER -> null;
            case FAIL -> OllamaAnswers.errorMessage(500, "llama runner process has terminated");
            case STALL -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
        };
    }

    private MockResponse generation(Duration keepAlive, boolean warmUp, boolean chat) throws InterruptedException {
        FakeModel model = server.model(requested);
        FakeModel.RunnerWait runner = model.awaitRunner(keepAlive);
        MockResponse notRunning = notRunning(runner);
        if (notRunning != null) {
            return notRunning;
        }
        String createdAt = server.now().toString();
        if (warmUp) {
            // a warm-up only waits for the runner: no slot, nothing generated
            model.used();
            server.warmedUp();
            return OllamaAnswers.json(200, chat ? OllamaAnswers.chatLoadedBody(requested, createdAt)
                    : OllamaAnswers.generateLoadedBody(requested, createdAt));
        }
        long queued = System.nanoTime();
        SlotHold slot = model.awaitSlot(runner.slots());
        if (slot == null) {
            return cancelled();
        }
        try {
            // total = load + queue + prompt + eval, so a caller can tell the queue time from the rest, as with Ollama
            long queue = System.nanoTime() - queued;
            long evalCount = 10 + server.chatCount() % 7;
            Duration generating = model.generationTime();
            if (!generating.isZero()) {
                Thread.sleep(generating.toMillis()); // the fake's GPU at work, not a test waiting
            }
            long eval = generating.isZero() ? EVAL_NANOS : generating.toNanos();
            OllamaAnswers.Metrics metrics = new OllamaAnswers.Metrics(
                    runner.nanos() + queue + PROMPT_EVAL_NANOS + eval, runner.nanos(),
                    PROMPT_EVAL_NANOS, evalCount, eval);
            return OllamaAnswers.json(200, chat ? OllamaAnswers.chatBody(requested, createdAt, "OK", metrics)
                    : OllamaAnswers.generateBody(requested, createdAt, "OK", metrics));
        } finally {
            slot.release();
            model.used();
        }
    }

    /** A failed load is Ollama's 500 with the runner's message; a client that left gets 499 (never read). */
    private static MockResponse notRunning(FakeModel.RunnerWait runner) {
        if (runner.failure() != null) {
            return OllamaAnswers.errorMessage(500, runner.failure());
        }
        return runner.clientLeft() ? cancelled() : null;
    }

    private static MockResponse cancelled() {
        return OllamaAnswers.errorMessage(499, "request canceled");
    }

    /** A unit vector that depends on the text, as Ollama normalizes its embeddings. */
    private static float[] vector(String text, int dimensions) {
        float[] vector = new float[dimensions];
        double sum = 0;
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) Math.sin(text.hashCode() + i + 1.0);
            sum += vector[i] * vector[i];
        }
        float norm = (float) (1 / Math.max(Math.sqrt(sum), 1e-12));
        for (int i = 0; i < dimensions; i++) {
            vector[i] *= norm;
        }
        return vector;
    }
}
