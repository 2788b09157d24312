package io.localmodels.operator.ollama;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** POST /api/show: what the model can do. */
public record ShowResponse(List<String> capabilities, @JsonProperty("model_info") JsonNode modelInfo, Details details) {

    /** {@code details}: {@code family} is the architecture Ollama decides by, e.g. {@code gptoss}, {@code qwen3}. */
    public record Details(String family) {
    }

    public String family() {
        return details == null ? null : details.family();
    }

    /** An embedding-only model: it refuses {@code /api/chat} and answers {@code /api/embed}. */
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
