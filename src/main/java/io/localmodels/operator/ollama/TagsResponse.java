package io.localmodels.operator.ollama;

import java.util.List;

/** GET /api/tags: models on disk. */
public record TagsResponse(List<Model> models) {

    /** One model on disk; {@code name} carries the tag ("qwen3:30b"). */
    public record Model(String name, String model, Long size, String digest) {
    }
}
