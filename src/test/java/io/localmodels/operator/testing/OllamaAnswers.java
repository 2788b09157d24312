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
        return "{\"model\":\"" + model + "\",\"created_at\":\"2026-01-01T00:00:00Z\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},"
                + "\"done\":true,\"done_reason\":\"stop\",\"total_duration\":900000000,\"load_duration\":2154458,"
                + "\"prompt_eval_count\":26,\"prompt_eval_duration\":38380900,"
                + "\"eval_count\":" + evalCount + ",\"eval_duration\":" + evalDurationNanos + "}";
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
        String caps = String.join(",", java.util.Arrays.stream(capabilities).map(c -> "\"" + c + "\"").toList());
        return json(200, "{\"details\":{\"family\":\"" + family + "\"},\"model_info\":{\"" + family
                + ".context_length\":40960},\"capabilities\":[" + caps + "]}");
    }

    public static MockResponse error(int code, String text) {
        return json(code, "{\"error\":\"" + text + "\"}");
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
