package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Map;
import java.util.Objects;

/**
 * The model's users' requests through its ModelRouters over the last status period, from the proxies' own
 * Prometheus metrics ({@code status.health.traffic}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TrafficStatus {

    @JsonPropertyDescription("Requests sent to this model through the router(s) in the period, per minute")
    private Double requestsPerMinute;

    @JsonPropertyDescription("Requests in the period (successes and failures)")
    private Long requests;

    @JsonPropertyDescription("Fraction of the period's requests that succeeded; absent without requests")
    private Double successRate;

    @JsonPropertyDescription("Failures the model caused (timeouts, 5xx, no answer): these count toward its circuit")
    private Long backendFailures;

    @JsonPropertyDescription("Failures the client caused (4xx): listed, not counted against the model")
    private Long clientErrors;

    @JsonPropertyDescription("Failures in the period by LiteLLM exception class, e.g. Ollama_chat.Timeout")
    private Map<String, Long> failuresByClass;

    @JsonPropertyDescription("95th percentile LiteLLM call latency in the period, where the proxy exports it per backend")
    private Long latencyP95Ms;

    @JsonPropertyDescription("LiteLLM's own view of the backend (litellm_deployment_state): healthy, partialOutage or "
            + "completeOutage")
    private String deploymentState;

    @JsonPropertyDescription("Start of the period the figures cover")
    private String since;

    @JsonPropertyDescription("End of the period the figures cover: when the proxies were read")
    private String observedTime;

    @JsonPropertyDescription("True when the last read of a proxy failed: the figures are the last known, not current, "
            + "and probes decide")
    private Boolean stale;

    public Double getRequestsPerMinute() { return requestsPerMinute; }

    public void setRequestsPerMinute(Double requestsPerMinute) { this.requestsPerMinute = requestsPerMinute; }

    public Long getRequests() { return requests; }

    public void setRequests(Long requests) { this.requests = requests; }

    public Double getSuccessRate() { return successRate; }

    public void setSuccessRate(Double successRate) { this.successRate = successRate; }

    public Long getBackendFailures() { return backendFailures; }

    public void setBackendFailures(Long backendFailures) { this.backendFailures = backendFailures; }

    public Long getClientErrors() { return clientErrors; }

    public void setClientErrors(Long clientErrors) { this.clientErrors = clientErrors; }

    public Map<String, Long> getFailuresByClass() { return failuresByClass; }

    public void setFailuresByClass(Map<String, Long> failuresByClass) { this.failuresByClass = failuresByClass; }

    public Long getLatencyP95Ms() { return latencyP95Ms; }

    public void setLatencyP95Ms(Long latencyP95Ms) { this.latencyP95Ms = latencyP95Ms; }

    public String getDeploymentState() { return deploymentState; }

    public void setDeploymentState(String deploymentState) { this.deploymentState = deploymentState; }

    public String getSince() { return since; }

    public void setSince(String since) { this.since = since; }

    public String getObservedTime() { return observedTime; }

    public void setObservedTime(String observedTime) { this.observedTime = observedTime; }

    public Boolean getStale() { return stale; }

    public void setStale(Boolean stale) { this.stale = stale; }

    /** Copies every figure into {@code into} (a copy, or a router's view of the same figures). */
    public <T extends TrafficStatus> T copyInto(T into) {
        into.setRequestsPerMinute(requestsPerMinute);
        into.setRequests(requests);
        into.setSuccessRate(successRate);
        into.setBackendFailures(backendFailures);
        into.setClientErrors(clientErrors);
        into.setFailuresByClass(failuresByClass);
        into.setLatencyP95Ms(latencyP95Ms);
        into.setDeploymentState(deploymentState);
        into.setSince(since);
        into.setObservedTime(observedTime);
        into.setStale(stale);
        return into;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrafficStatus t && Objects.equals(requestsPerMinute, t.requestsPerMinute)
                && Objects.equals(requests, t.requests) && Objects.equals(successRate, t.successRate)
                && Objects.equals(backendFailures, t.backendFailures) && Objects.equals(clientErrors, t.clientErrors)
                && Objects.equals(failuresByClass, t.failuresByClass) && Objects.equals(latencyP95Ms, t.latencyP95Ms)
                && Objects.equals(deploymentState, t.deploymentState) && Objects.equals(since, t.since)
                && Objects.equals(observedTime, t.observedTime) && Objects.equals(stale, t.stale);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requests, backendFailures, since, observedTime, stale);
    }
}
