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

    @JsonPropertyDescription("OLLAMA_KEEP_ALIVE; -1 keeps the model loaded (default -1)")
    @Pattern(Api.KEEP_ALIVE)
    private String keepAlive;

    @JsonPropertyDescription("OLLAMA_CONTEXT_LENGTH")
    @Min(0)
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
