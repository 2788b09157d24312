package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Routing, retries, timeouts and cooldown. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RoutingPolicy {

    @JsonPropertyDescription("simple-shuffle, least-busy, latency-based-routing or usage-based-routing-v2")
    @SchemaFrom(type = RoutingStrategy.class)
    private String routingStrategy;

    @JsonPropertyDescription("Retries per request")
    @Min(0)
    @Max(10)
    private Integer numRetries;

    @JsonPropertyDescription("Timeout of one attempt (a model's own timeout wins)")
    @Pattern(Api.DURATION)
    private String timeout;

    @JsonPropertyDescription("Failures (within cooldown) before a backend is cooled down")
    @Min(0)
    private Integer allowedFails;

    @JsonPropertyDescription("Cooldown time of a failing backend")
    @Pattern(Api.DURATION)
    private String cooldown;

    @JsonPropertyDescription("Retries by error kind")
    private RetryPolicy retryPolicy;

    public String getRoutingStrategy() { return routingStrategy; }

    public void setRoutingStrategy(String routingStrategy) { this.routingStrategy = routingStrategy; }

    public Integer getNumRetries() { return numRetries; }

    public void setNumRetries(Integer numRetries) { this.numRetries = numRetries; }

    public String getTimeout() { return timeout; }

    public void setTimeout(String timeout) { this.timeout = timeout; }

    public Integer getAllowedFails() { return allowedFails; }

    public void setAllowedFails(Integer allowedFails) { this.allowedFails = allowedFails; }

    public String getCooldown() { return cooldown; }

    public void setCooldown(String cooldown) { this.cooldown = cooldown; }

    public RetryPolicy getRetryPolicy() { return retryPolicy; }

    public void setRetryPolicy(RetryPolicy retryPolicy) { this.retryPolicy = retryPolicy; }
}
