package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Progress of the model download. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PullStatus {

    @JsonPropertyDescription("Completed bytes over total bytes of the layers seen so far")
    private Integer progressPercent;

    @JsonPropertyDescription("Bytes downloaded")
    private Long completedBytes;

    @JsonPropertyDescription("Bytes to download")
    private Long totalBytes;

    @JsonPropertyDescription("Last status line from Ollama, or the error")
    private String message;

    @JsonPropertyDescription("Pull attempts since the last success")
    private Integer attempts;

    public Integer getProgressPercent() { return progressPercent; }

    public void setProgressPercent(Integer progressPercent) { this.progressPercent = progressPercent; }

    public Long getCompletedBytes() { return completedBytes; }

    public void setCompletedBytes(Long completedBytes) { this.completedBytes = completedBytes; }

    public Long getTotalBytes() { return totalBytes; }

    public void setTotalBytes(Long totalBytes) { this.totalBytes = totalBytes; }

    public String getMessage() { return message; }

    public void setMessage(String message) { this.message = message; }

    public Integer getAttempts() { return attempts; }

    public void setAttempts(Integer attempts) { this.attempts = attempts; }
}
