package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** Measured health from the inference probes, over all replicas. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class HealthStatus {

    @JsonPropertyDescription("Fraction of probes in the window that succeeded")
    private Double successRate;

    @JsonPropertyDescription("Median probe latency (wall time)")
    private Long latencyP50Ms;

    @JsonPropertyDescription("95th percentile probe latency (wall time)")
    private Long latencyP95Ms;

    @JsonPropertyDescription("eval_count / eval_duration of the last successful probe")
    private Double tokensPerSecond;

    @JsonPropertyDescription("Probes in the window")
    private Integer probes;

    @JsonPropertyDescription("Failed probes in a row")
    private Integer consecutiveFailures;

    @JsonPropertyDescription("When the last probe finished")
    private String lastProbeTime;

    @JsonPropertyDescription("When the last probe succeeded")
    private String lastSuccessTime;

    @JsonPropertyDescription("Success, EmptyResponse, ThinkingBudgetExhausted, Busy, Timeout, ConnectionError, HttpError, ModelNotFound, ServerBusy or MalformedResponse")
    private String lastResult;

    @JsonPropertyDescription("Error text of the last failed probe")
    private String lastError;

    @JsonPropertyDescription("Time the last answered probe waited inside Ollama for a free slot: total_duration minus "
            + "load, prompt and eval durations. High values mean a full model, not a slow one")
    private Long queueMs;

    @JsonPropertyDescription("Wall time of the last answered probe outside Ollama's handler (wall time minus total_duration)")
    private Long networkMs;

    @JsonPropertyDescription("Closed, Open or HalfOpen: Closed while any replica's circuit is Closed, Open when every "
            + "replica's is Open")
    private String circuit;

    @JsonPropertyDescription("Each replica as its own probes judge it (not for an external server); the figures above "
            + "are over all their probes")
    private List<ReplicaHealth> replicas;

    @JsonPropertyDescription("Which signal decided the circuit lately: probe (inference probes) or traffic (the "
            + "users' requests through a ModelRouter, which stand in for probes while they flow)")
    private String decidedBy;

    @JsonPropertyDescription("The users' requests through the ModelRouters over the last status period")
    private TrafficStatus traffic;

    /** A shallow copy (the replica lines and traffic figures are shared). */
    public HealthStatus copy() {
        HealthStatus c = new HealthStatus();
        c.successRate = successRate;
        c.latencyP50Ms = latencyP50Ms;
        c.latencyP95Ms = latencyP95Ms;
        c.tokensPerSecond = tokensPerSecond;
        c.probes = probes;
        c.consecutiveFailures = consecutiveFailures;
        c.lastProbeTime = lastProbeTime;
        c.lastSuccessTime = lastSuccessTime;
        c.lastResult = lastResult;
        c.lastError = lastError;
        c.queueMs = queueMs;
        c.networkMs = networkMs;
        c.circuit = circuit;
        c.replicas = replicas;
        c.decidedBy = decidedBy;
        c.traffic = traffic;
        return c;
    }

    public String getDecidedBy() { return decidedBy; }

    public void setDecidedBy(String decidedBy) { this.decidedBy = decidedBy; }

    public TrafficStatus getTraffic() { return traffic; }

    public void setTraffic(TrafficStatus traffic) { this.traffic = traffic; }

    public Double getSuccessRate() { return successRate; }

    public void setSuccessRate(Double successRate) { this.successRate = successRate; }

    public Long getLatencyP50Ms() { return latencyP50Ms; }

    public void setLatencyP50Ms(Long latencyP50Ms) { this.latencyP50Ms = latencyP50Ms; }

    public Long getLatencyP95Ms() { return latencyP95Ms; }

    public void setLatencyP95Ms(Long latencyP95Ms) { this.latencyP95Ms = latencyP95Ms; }

    public Double getTokensPerSecond() { return tokensPerSecond; }

    public void setTokensPerSecond(Double tokensPerSecond) { this.tokensPerSecond = tokensPerSecond; }

    public Integer getProbes() { return probes; }

    public void setProbes(Integer probes) { this.probes = probes; }

    public Integer getConsecutiveFailures() { return consecutiveFailures; }

    public void setConsecutiveFailures(Integer consecutiveFailures) { this.consecutiveFailures = consecutiveFailures; }

    public String getLastProbeTime() { return lastProbeTime; }

    public void setLastProbeTime(String lastProbeTime) { this.lastProbeTime = lastProbeTime; }

    public String getLastSuccessTime() { return lastSuccessTime; }

    public void setLastSuccessTime(String lastSuccessTime) { this.lastSuccessTime = lastSuccessTime; }

    public String getLastResult() { return lastResult; }

    public void setLastResult(String lastResult) { this.lastResult = lastResult; }

    public String getLastError() { return lastError; }

    public void setLastError(String lastError) { this.lastError = lastError; }

    public String getCircuit() { return circuit; }

    public void setCircuit(String circuit) { this.circuit = circuit; }

    public List<ReplicaHealth> getReplicas() { return replicas; }

    public void setReplicas(List<ReplicaHealth> replicas) { this.replicas = replicas; }

    public Long getQueueMs() { return queueMs; }

    public void setQueueMs(Long queueMs) { this.queueMs = queueMs; }

    public Long getNetworkMs() { return networkMs; }

    public void setNetworkMs(Long networkMs) { this.networkMs = networkMs; }
}
