package io.localmodels.operator.ollama;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** GET /api/ps: models loaded in memory. */
public record PsResponse(List<Model> models) {

    /** A loaded model; {@code sizeVram < size} means it is partly on the CPU. */
    public record Model(String name, String model, Long size, @JsonProperty("size_vram") Long sizeVram,
                        @JsonProperty("context_length") Integer contextLength) {
    }
}
