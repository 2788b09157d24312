package io.localmodels.operator.ollama;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** POST /api/embed body ({@code api.EmbedRequest}): {@code input} is one text here; {@code keepAlive} see {@link KeepAlive#requestValue}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmbedRequest(String model, String input, @JsonProperty("keep_alive") Object keepAlive) {
}
