package io.localmodels.operator.ollama;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * POST /api/chat body. {@code think} is a Boolean, a level string, or null to leave it out: models without the
 * thinking capability answer 400 when it is sent at all.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatRequest(String model, List<Message> messages, boolean stream, Object think, Options options,
                          @JsonProperty("keep_alive") String keepAlive) {

    public static ChatRequest probe(String model, String prompt, int maxTokens, Object think) {
        return new ChatRequest(model, List.of(new Message("user", prompt, null)), false, think,
                new Options(maxTokens), null);
    }

    /** A chat message; assistants may add {@code thinking}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(String role, String content, String thinking) {
    }

    /** Model options; only what the probe sets. */
    public record Options(@JsonProperty("num_predict") int numPredict) {
    }
}
