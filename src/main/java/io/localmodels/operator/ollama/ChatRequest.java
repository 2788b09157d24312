package io.localmodels.operator.ollama;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * POST /api/chat body. {@code think} is a Boolean, a level string, or null to leave it out (at 0.12.6 a model
 * without the thinking capability refuses only truthy values).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatRequest(String model, List<Message> messages, boolean stream, Object think, Options options,
                          @JsonProperty("keep_alive") Object keepAlive) {

    public static ChatRequest probe(String model, String prompt, int maxTokens, Object think) {
        return new ChatRequest(model, List.of(new Message("user", prompt, null)), false, think,
                new Options(maxTokens), null);
    }

    /**
     * A warm-up: no messages, so Ollama only loads the model (and answers {@code done_reason: "load"}); the
     * keep-alive applies from then on. Sends {@code "messages": []}, not a missing field, as Ollama's docs show.
     */
    public static ChatRequest warmUp(String model, String keepAlive) {
        return new ChatRequest(model, List.of(), false, null, null, KeepAlive.requestValue(keepAlive));
    }

    /** A chat message; assistants may add {@code thinking}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(String role, String content, String thinking) {
    }

    /** Model options; only what the probe sets. */
    public record Options(@JsonProperty("num_predict") int numPredict) {
    }
}
