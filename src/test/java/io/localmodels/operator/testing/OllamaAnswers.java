package io.localmodels.operator.testing;

import mockwebserver3.MockResponse;

/** Ollama-shaped answers for MockWebServer, as the real server writes them (see ollama-api.md). */
public final class OllamaAnswers {

    private OllamaAnswers() {
    }

    public static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    /** A normal answer: content, done_reason stop, metrics in nanoseconds. */
    public static MockResponse chat(String model, String content, long evalCount, long evalDurationNanos) {
        return json(200, chatBody(model, content, evalCount, evalDurationNanos));
    }

    public static String chatBody(String model, String content, long evalCount, long evalDurationNanos) {
        return chatBody(model, "2026-01-01T00:00:00Z", content,
                new Metrics(900_000_000L, 2_154_458L, 38_380_900L, evalCount, evalDurationNanos));
    }

    /** A chat answer with the given metrics; {@code createdAt} is RFC 3339. */
    public static String chatBody(String model, String createdAt, String content, Metrics metrics) {
        return "{\"model\":\"" + model + "\",\"created_at\":\"" + createdAt + "\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},"
                + "\"done\":true,\"done_reason\":\"stop\"," + metrics.json() + "}";
    }

    /** /api/generate's answer to a prompt. */
    public static String generateBody(String model, String createdAt, String response, Metrics metrics) {
        return "{\"model\":\"" + model + "\",\"created_at\":\"" + createdAt + "\",\"response\":\"" + response
                + "\",\"done\":true,\"done_reason\":\"stop\"," + metrics.json() + "}";
    }

    /** The answer to a warm-up ({@code /api/chat} with no messages): the model is loaded, nothing generated. */
    public static String chatLoadedBody(String model, String createdAt) {
        return "{\"model\":\"" + model + "\",\"created_at\":\"" + createdAt + "\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"load\"}";
    }

    /** The answer to a warm-up through {@code /api/generate} (no prompt). */
    public static String generateLoadedBody(String model, String createdAt) {
        return "{\"model\":\"" + model + "\",\"created_at\":\"" + createdAt
                + "\",\"response\":\"\",\"done\":true,\"done_reason\":\"load\"}";
    }

    /** {@code /api/chat} with no messages and {@code keep_alive: 0}: Ollama unloads the model. */
    public static String chatUnloadedBody(String model, String createdAt) {
        return "{\"model\":\"" + model + "\",\"created_at\":\"" + createdAt + "\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"unload\"}";
    }

    /** /api/embed's answer: one vector per input; Ollama leaves zero metrics out. */
    public static String embedBody(String model, java.util.List<float[]> vectors, long totalNanos, long loadNanos,
                                   long promptEvalCount) {
        StringBuilder json = new StringBuilder("{\"model\":\"").append(model).append("\",\"embeddings\":[");
        for (int v = 0; v < vectors.size(); v++) {
            json.append(v == 0 ? "[" : ",[");
            float[] vector = vectors.get(v);
            for (int i = 0; i < vector.length; i++) {
                json.append(i == 0 ? "" : ",").append(vector[i]);
            }
            json.append(']');
        }
        json.append(']');
        if (totalNanos > 0) {
            json.append(",\"total_duration\":").append(totalNanos)
                    .append(",\"load_duration\":").append(loadNanos)
                    .append(",\"prompt_eval_count\":").append(promptEvalCount);
        }
        return json.append('}').toString();
    }

    /** The metrics of an answer, nanoseconds; {@code total} includes the time spent waiting for a slot. */
    public record Metrics(long total, long load, long promptEval, long evalCount, long eval) {
        String json() {
            return "\"total_duration\":" + total + ",\"load_duration\":" + load
                    + ",\"prompt_eval_count\":26,\"prompt_eval_duration\":" + promptEval
                    + ",\"eval_count\":" + evalCount + ",\"eval_duration\":" + eval;
        }
    }

    /** gpt-oss with a small num_predict: the budget went on thinking, content is empty, done_reason length. */
    public static MockResponse thinkingOnly(String model) {
        return json(200, "{\"model\":\"" + model + "\",\"created_at\":\"2026-01-01T00:00:00Z\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"The user wants a single word. "
                + "We should answer OK. Let's\"},\"done\":true,\"done_reason\":\"length\","
                + "\"total_duration\":1200000000,\"eval_count\":64,\"eval_duration\":800000000}");
    }

    public static MockResponse show(String... capabilities) {
        return showFamily("qwen3", capabilities);
    }

    /** /api/show of a model of {@code family} (Ollama's architecture name: gptoss, qwen3, llama, nomic-bert …). */
    public static MockResponse showFamily(String family, String... capabilities) {
        return show(family, 40960, java.util.List.of(capabilities));
    }

    /** /api/show of a model of {@code family} (also its architecture, which keys {@code model_info}). */
    public static MockResponse show(String family, int contextLength, java.util.List<String> capabilities) {
        String caps = String.join(",", capabilities.stream().map(c -> "\"" + c + "\"").toList());
        return json(200, "{\"details\":{\"parent_model\":\"\",\"format\":\"gguf\",\"family\":\"" + family
                + "\",\"families\":[\"" + family + "\"],\"parameter_size\":\"30.5B\",\"quantization_level\":\"Q4_K_M\"},"
                + "\"model_info\":{\"general.architecture\":\"" + family + "\",\"" + family + ".context_length\":"
                + contextLength + "},\"capabilities\":[" + caps + "]}");
    }

    /** An error answer; {@code text} goes in as given, so it must already be JSON-escaped. */
    public static MockResponse error(int code, String text) {
        return json(code, "{\"error\":\"" + text + "\"}");
    }

    /** An error answer with Ollama's plain message (quotes and backslashes are escaped here). */
    public static MockResponse errorMessage(int code, String message) {
        return error(code, message.replace("\\", "\\\\").replace("\"", "\\\""));
    }

    /** The URL of a server that has just closed: connecting to it is refused. */
    public static String refusingUrl() throws java.io.IOException {
        mockwebserver3.MockWebServer gone = new mockwebserver3.MockWebServer();
        gone.start();
        String url = gone.url("/").toString();
        gone.close();
        return url;
    }
}
