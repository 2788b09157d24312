package io.localmodels.operator.ollama;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * POST /api/chat answer (stream:false), {@code api.ChatResponse} with its {@code Metrics}. Ollama omits metric fields
 * that are zero, so they are primitives that default to 0. Durations are nanoseconds.
 */
public record ChatResponse(String model, ChatRequest.Message message, boolean done,
                           @JsonProperty("done_reason") String doneReason,
                           @JsonProperty("total_duration") long totalDuration,
                           @JsonProperty("load_duration") long loadDuration,
                           @JsonProperty("prompt_eval_count") long promptEvalCount,
                           @JsonProperty("prompt_eval_duration") long promptEvalDuration,
                           @JsonProperty("eval_count") long evalCount,
                           @JsonProperty("eval_duration") long evalDuration,
                           String error) {

    /** The answer to a warm-up: the model is loaded, nothing was generated. */
    public boolean isLoadReply() {
        return "load".equals(doneReason);
    }

    /**
     * Time the request waited inside Ollama for a free slot: what {@code total_duration} holds besides the load, the
     * prompt and the generation ({@code load_duration} runs from the request's start until its runner is ready).
     */
    public long queueNanos() {
        return Math.max(0, totalDuration - loadDuration - promptEvalDuration - evalDuration);
    }

    public static ChatResponse parse(String json) throws java.io.IOException {
        return OllamaClient.JSON.readValue(json, ChatResponse.class);
    }

    public String content() {
        return message == null || message.content() == null ? "" : message.content();
    }

    public String thinking() {
        return message == null || message.thinking() == null ? "" : message.thinking();
    }

    /** Generation speed, or 0 when Ollama reported no eval duration. */
    public double tokensPerSecond() {
        return evalDuration <= 0 ? 0 : evalCount * 1e9 / evalDuration;
    }
}
