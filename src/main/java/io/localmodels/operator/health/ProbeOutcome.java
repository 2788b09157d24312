package io.localmodels.operator.health;

/** How one inference probe ended; the names are the values of {@code status.health.lastResult}. */
public enum ProbeOutcome {
    /** HTTP 200 with non-empty content. */
    Success,
    /** HTTP 200, no content and no thinking (or thinking that stopped without an answer). */
    EmptyResponse,
    /** No content, thinking present, {@code done_reason: length}: the model is up, the token budget was spent thinking. */
    ThinkingBudgetExhausted,
    /**
     * No answer within the probe timeout, while the server answered {@code GET /} promptly and {@code /api/ps} lists
     * the model as loaded: its slots are taken by users' requests. Not a failure until it has lasted
     * {@code spec.probe.busyGrace} without a success; then it is recorded as {@link #Timeout}.
     */
    Busy,
    /** No answer within the probe timeout. */
    Timeout,
    /** Could not connect, or the connection broke before an answer. */
    ConnectionError,
    /** Any other error status, or an {@code {"error":…}} line inside HTTP 200. */
    HttpError,
    /** HTTP 404: the model is not on the server. */
    ModelNotFound,
    /** HTTP 503: Ollama's queue is full. */
    ServerBusy,
    /** HTTP 200 whose body is not an Ollama chat answer. */
    MalformedResponse;

    /** Counts against the success rate and the circuit breaker. ThinkingBudgetExhausted does not: the model answered. */
    public boolean isFailure() {
        return this != Success && this != ThinkingBudgetExhausted && this != Busy;
    }

    /**
     * Whether the wall time says something about the model's speed. Refused connections, 404 and 503 are answered
     * before any inference, so their (tiny) latencies are left out of the percentiles.
     */
    public boolean measuresModel() {
        return this != ConnectionError && this != ModelNotFound && this != ServerBusy && this != Busy;
    }
}
