package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Retries by error kind. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RetryPolicy {

    @JsonPropertyDescription("Retries after a timeout")
    @Min(0)
    private Integer timeout;

    @JsonPropertyDescription("Rejected: LiteLLM 1.80 never reads it; 500s get numRetries")
    @Min(0)
    private Integer internalServerError;

    @JsonPropertyDescription("Retries after a 429")
    @Min(0)
    private Integer rateLimit;

    public Integer getTimeout() { return timeout; }

    public void setTimeout(Integer timeout) { this.timeout = timeout; }

    public Integer getInternalServerError() { return internalServerError; }

    public void setInternalServerError(Integer internalServerError) { this.internalServerError = internalServerError; }

    public Integer getRateLimit() { return rateLimit; }

    public void setRateLimit(Integer rateLimit) { this.rateLimit = rateLimit; }
}
