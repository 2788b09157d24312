package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What Ollama reports about the model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ModelDetails {

    @JsonPropertyDescription("Version of the Ollama server")
    private String ollamaVersion;

    @JsonPropertyDescription("Digest of the model")
    private String digest;

    @JsonPropertyDescription("Size of the model on disk")
    private Long sizeBytes;

    @JsonPropertyDescription("Memory in VRAM when loaded")
    private Long vramBytes;

    @JsonPropertyDescription("From /api/show, e.g. completion, tools, thinking")
    private List<String> capabilities;

    @JsonPropertyDescription("Context length of the model")
    private Integer contextLength;

    @JsonPropertyDescription("Percent of the loaded model in VRAM (size_vram / size of /api/ps); below 100 part runs on CPU")
    private Integer vramPercent;

    @JsonPropertyDescription("Seconds the last load (warm-up) of the model took")
    private Double lastLoadSeconds;

    @JsonPropertyDescription("Times the model was found unloaded behind the operator's back (evicted, keep-alive expired) and loaded again")
    private Integer reloads;

    public String getOllamaVersion() { return ollamaVersion; }

    public void setOllamaVersion(String ollamaVersion) { this.ollamaVersion = ollamaVersion; }

    public String getDigest() { return digest; }

    public void setDigest(String digest) { this.digest = digest; }

    public Long getSizeBytes() { return sizeBytes; }

    public void setSizeBytes(Long sizeBytes) { this.sizeBytes = sizeBytes; }

    public Long getVramBytes() { return vramBytes; }

    public void setVramBytes(Long vramBytes) { this.vramBytes = vramBytes; }

    public List<String> getCapabilities() { return capabilities; }

    public void setCapabilities(List<String> capabilities) { this.capabilities = capabilities; }

    public Integer getContextLength() { return contextLength; }

    public void setContextLength(Integer contextLength) { this.contextLength = contextLength; }

    public Integer getVramPercent() { return vramPercent; }

    public void setVramPercent(Integer vramPercent) { this.vramPercent = vramPercent; }

    public Double getLastLoadSeconds() { return lastLoadSeconds; }

    public void setLastLoadSeconds(Double lastLoadSeconds) { this.lastLoadSeconds = lastLoadSeconds; }

    public Integer getReloads() { return reloads; }

    public void setReloads(Integer reloads) { this.reloads = reloads; }
}
