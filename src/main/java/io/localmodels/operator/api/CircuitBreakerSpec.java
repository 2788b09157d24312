package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** When failing probes open the circuit and take the model out of routing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class CircuitBreakerSpec {

    @JsonPropertyDescription("Percent of failed probes in the window that opens the circuit (default 50)")
    @Min(1)
    @Max(100)
    private Integer failureRateThreshold;

    @JsonPropertyDescription("Probes needed before the failure rate counts (default 4)")
    @Min(1)
    @Max(1000)
    private Integer minimumProbes;

    @JsonPropertyDescription("Users' requests through a ModelRouter in one status period needed before they speak for "
            + "the model (default 5): that many successes stand in for a probe, and failures at the threshold rate "
            + "count as a failed probe")
    @Min(1)
    @Max(1000000)
    private Integer minimumRequests;

    @JsonPropertyDescription("Time open before trial probes (default 60s)")
    @Pattern(Api.DURATION)
    private String openDuration;

    @JsonPropertyDescription("Trial probes in the half-open state (default 2)")
    @Min(1)
    @Max(100)
    private Integer halfOpenProbes;

    public Integer getFailureRateThreshold() { return failureRateThreshold; }

    public void setFailureRateThreshold(Integer failureRateThreshold) { this.failureRateThreshold = failureRateThreshold; }

    public Integer getMinimumProbes() { return minimumProbes; }

    public void setMinimumProbes(Integer minimumProbes) { this.minimumProbes = minimumProbes; }

    public Integer getMinimumRequests() { return minimumRequests; }

    public void setMinimumRequests(Integer minimumRequests) { this.minimumRequests = minimumRequests; }

    public String getOpenDuration() { return openDuration; }

    public void setOpenDuration(String openDuration) { this.openDuration = openDuration; }

    public Integer getHalfOpenProbes() { return halfOpenProbes; }

    public void setHalfOpenProbes(Integer halfOpenProbes) { this.halfOpenProbes = halfOpenProbes; }
}
