package io.localmodels.operator.ollama;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** POST /api/show: what the model can do. */
public record ShowResponse(List<String> capabilities, Details details, @JsonProperty("model_info") JsonNode modelInfo) {

    /** {@code details} ({@code api.ModelDetails}): {@code family} is {@code gptoss} for gpt-oss models. */
    public record Details(String family) {
    }

    /** The model family, or null when Ollama sent none. */
    public String family() {
        return details == null ? null : details.family();
    }

    /** An embedding-only model: {@code /api/chat} refuses it, {@code /api/embed} serves it. */
    public boolean embedsOnly() {
        return capabilities != null && capabilities.contains("embedding") && !capabilities.contains("completion");
    }

    public boolean canThink() {
        return capabilities != null && capabilities.contains("thinking");
    }

    /** The model's trained context length: {@code model_info} keys it by architecture, e.g. qwen3.context_length. */
    public Integer contextLength() {
        if (modelInfo == null) {
            return null;
        }
        var fields = modelInfo.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getKey().endsWith(".context_length") && field.getValue().canConvertToInt()) {
                return field.getValue().asInt();
            }
        }
        return null;
    }
}
