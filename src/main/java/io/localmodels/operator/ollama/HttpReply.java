package io.localmodels.operator.ollama;

/** What an HTTP call to Ollama returned, before any interpretation. */
public record HttpReply(int code, String body, long elapsedNanos) {
}
