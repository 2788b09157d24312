package io.localmodels.operator.ollama;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * POST /api/embed answer ({@code api.EmbedResponse}): one vector per input. Metrics are omitted when zero (an
 * empty input answers no vector and no metrics); durations are nanoseconds.
 */
public record EmbedResponse(String model, List<List<Float>> embeddings,
                            @JsonProperty("total_duration") long totalDuration,
                            @JsonProperty("load_duration") long loadDuration,
                            @JsonProperty("prompt_eval_count") long promptEvalCount,
                            String error) {

    public static EmbedResponse parse(String json) throws java.io.IOException {
        return OllamaClient.JSON.readValue(json, EmbedResponse.class);
    }

    /** Whether the first vector has any element: what a working embedding model answers. */
    public boolean hasVector() {
        return embeddings != null && !embeddings.isEmpty() && embeddings.get(0) != null && !embeddings.get(0).isEmpty();
    }
}
