package io.localmodels.operator.ollama;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Cases follow Ollama 0.12.6 {@code types/model/name.go} (ParseName, DisplayShortest, IsValid). */
class ModelNameTest {

    @Test
    void missingPartsTakeOllamasDefaults() {
        assertThat(ModelName.parse("qwen3")).isEqualTo(new ModelName("registry.ollama.ai", "library", "qwen3", "latest"));
        assertThat(ModelName.parse("library/qwen3:30b"))
                .isEqualTo(new ModelName("registry.ollama.ai", "library", "qwen3", "30b"));
        assertThat(ModelName.parse("hf.co/unsloth/gpt-oss-20b-GGUF:Q4_K_M"))
                .isEqualTo(new ModelName("hf.co", "unsloth", "gpt-oss-20b-GGUF", "Q4_K_M"));
        assertThat(ModelName.parse("https://registry.ollama.ai/library/qwen3").host()).isEqualTo("registry.ollama.ai");
    }

    @Test
    void tagsListsTheShortestForm() {
        assertThat(ModelName.parse("registry.ollama.ai/library/qwen3:30b").displayShortest()).isEqualTo("qwen3:30b");
        assertThat(ModelName.parse("library/qwen3:30b").displayShortest()).isEqualTo("qwen3:30b");
        assertThat(ModelName.parse("qwen3").displayShortest()).isEqualTo("qwen3:latest");
        assertThat(ModelName.parse("Registry.Ollama.AI/Library/qwen3").displayShortest()).isEqualTo("qwen3:latest");
        assertThat(ModelName.parse("registry.ollama.ai/team/coder").displayShortest()).isEqualTo("team/coder:latest");
        assertThat(ModelName.parse("hf.co/unsloth/gpt-oss-20b-GGUF").displayShortest())
                .isEqualTo("hf.co/unsloth/gpt-oss-20b-GGUF:latest");
    }

    @Test
    void aRegistryPortIsNotATag() {
        assertThat(ModelName.parse("registry.lan:5000/team/coder"))
                .isEqualTo(new ModelName("registry.lan:5000", "team", "coder", "latest"));
        assertThat(ModelName.parse("registry.lan:5000/team/coder:7b").displayShortest())
                .isEqualTo("registry.lan:5000/team/coder:7b");
    }

    @Test
    void everySpellingOfOneModelIsTheSameModel() {
        assertThat(ModelName.sameModel("qwen3:30b", "registry.ollama.ai/library/qwen3:30b")).isTrue();
        assertThat(ModelName.sameModel("qwen3:30b", "library/qwen3:30b")).isTrue();
        assertThat(ModelName.sameModel("qwen3:latest", "qwen3")).isTrue();
        assertThat(ModelName.sameModel("qwen3:latest", "registry.ollama.ai/library/qwen3")).isTrue();
        assertThat(ModelName.sameModel("Qwen3:30B", "qwen3:30b")).isTrue(); // Ollama's EqualFold
        assertThat(ModelName.key("registry.ollama.ai/library/Qwen3")).isEqualTo(ModelName.key("qwen3:latest"));
    }

    @Test
    void differentModelsStayApart() {
        assertThat(ModelName.sameModel("llama3.2:1b", "llama3.2")).isFalse();
        assertThat(ModelName.sameModel("qwen3:30b", "qwen3:30b-a3b")).isFalse();
        assertThat(ModelName.sameModel("qwen3:latest", "qwen3:30b")).isFalse();
        assertThat(ModelName.sameModel("team/qwen3:30b", "qwen3:30b")).isFalse();
        assertThat(ModelName.sameModel("other.host/library/qwen3:30b", "qwen3:30b")).isFalse();
        assertThat(ModelName.sameModel(null, "qwen3")).isFalse();
    }

    @Test
    void validAsOllamaSeesIt() {
        assertThat(ModelName.parse("qwen3:30b").isValid()).isTrue();
        assertThat(ModelName.parse("m").isValid()).isTrue();
        assertThat(ModelName.parse("registry.lan:5000/team/coder:7b").isValid()).isTrue();
        assertThat(ModelName.parse("qwen3:").isValid()).as("a promised tag left empty").isFalse();
        assertThat(ModelName.parse("/qwen3").isValid()).isFalse();
        assertThat(ModelName.parse("my.team/qwen3").isValid()).as("no '.' in a namespace").isFalse();
        assertThat(ModelName.parse("qwen3+x").isValid()).isFalse();
        assertThat(ModelName.parse("-qwen3").isValid()).isFalse();
        assertThat(ModelName.parse("a/b/c/d").isValid()).isFalse();
        assertThat(ModelName.parse("qwen3@sha256:abc").isValid()).as("0.12.6 parses no digests").isFalse();
    }
}
