package io.localmodels.operator.ollama;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelNameTest {

    @Test
    void aReferenceWithoutTagMeansLatest() {
        assertThat(ModelName.withTag("qwen3")).isEqualTo("qwen3:latest");
        assertThat(ModelName.withTag("qwen3:30b")).isEqualTo("qwen3:30b");
        assertThat(ModelName.withTag("hf.co/unsloth/gpt-oss-20b-GGUF")).isEqualTo("hf.co/unsloth/gpt-oss-20b-GGUF:latest");
    }

    @Test
    void aRegistryPortIsNotATag() {
        assertThat(ModelName.withTag("registry.lan:5000/team/coder")).isEqualTo("registry.lan:5000/team/coder:latest");
        assertThat(ModelName.withTag("registry.lan:5000/team/coder:7b")).isEqualTo("registry.lan:5000/team/coder:7b");
    }

    @Test
    void tagsListingMatchesExactlyOrAsLatest() {
        assertThat(ModelName.sameModel("llama3.2:latest", "llama3.2")).isTrue();
        assertThat(ModelName.sameModel("llama3.2:latest", "llama3.2:latest")).isTrue();
        assertThat(ModelName.sameModel("qwen3:30b", "qwen3:30b")).isTrue();
        assertThat(ModelName.sameModel("llama3.2:1b", "llama3.2")).isFalse();
        assertThat(ModelName.sameModel("qwen3:30b", "qwen3:30b-a3b")).isFalse();
        assertThat(ModelName.sameModel("qwen3:latest", "qwen3:30b")).isFalse();
        assertThat(ModelName.sameModel(null, "qwen3")).isFalse();
    }
}
