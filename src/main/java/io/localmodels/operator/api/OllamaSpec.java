package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;

/** Ollama server settings, passed as environment variables. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class OllamaSpec {

    /**
     * The smallest context the operator accepts: the chat template, the probe prompt and its answer budget must fit,
     * and small embedding models (all-minilm) are trained on 512. Ollama clamps 0 to 4 tokens and truncates prompts
     * that do not fit, so a smaller value fails every request in ways that look like a broken model.
     */
    public static final int MIN_CONTEXT_LENGTH = 512;

    @JsonPropertyDescription("OLLAMA_KEEP_ALIVE: a Go duration (5m, 1h30m) or an integer of seconds; negative keeps the model loaded (default -1)")
    @Pattern(Api.KEEP_ALIVE)
    private String keepAlive;

    @JsonPropertyDescription("OLLAMA_CONTEXT_LENGTH in tokens, at least 512 (Ollama 0.12.6 reads 0 as 4 tokens, not as auto)")
    @Min(OllamaSpec.MIN_CONTEXT_LENGTH)
    private Integer contextLength;

    @JsonPropertyDescription("OLLAMA_NUM_PARALLEL")
    @Min(1)
    @Max(256)
    private Integer numParallel;

    @JsonPropertyDescription("Extra environment variables for the Ollama container")
    private List<EnvVar> env;

    public String getKeepAlive() { return keepAlive; }

    public void setKeepAlive(String keepAlive) { this.keepAlive = keepAlive; }

    public Integer getContextLength() { return contextLength; }

    public void setContextLength(Integer contextLength) { this.contextLength = contextLength; }

    public Integer getNumParallel() { return numParallel; }

    public void setNumParallel(Integer numParallel) { this.numParallel = numParallel; }

    public List<EnvVar> getEnv() { return env; }

    public void setEnv(List<EnvVar> env) { this.env = env; }
}
