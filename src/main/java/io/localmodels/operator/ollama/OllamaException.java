package io.localmodels.operator.ollama;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/** Ollama answered, but with an error: an HTTP error status, or an {@code {"error":…}} line inside HTTP 200. */
public class OllamaException extends IOException {

    private final int httpCode;

    public OllamaException(int httpCode, String message) {
        super(message);
        this.httpCode = httpCode;
    }

    /** The {@code error} field of an error body when there is one, else the body itself. */
    static OllamaException fromReply(int code, String body) {
        return new OllamaException(code, "HTTP " + code + ": " + errorText(body));
    }

    public static String errorText(String body) {
        try {
            JsonNode node = OllamaClient.JSON.readTree(body);
            if (node != null && node.hasNonNull("error")) {
                return node.get("error").asText();
            }
        } catch (IOException ignored) {
            // not JSON: the raw text says more than nothing
        }
        return OllamaClient.abbreviate(body.strip());
    }

    public int httpCode() {
        return httpCode;
    }
}
