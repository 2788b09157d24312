package io.localmodels.operator.health;

import java.time.Duration;

/**
 * The classified result of one probe.
 *
 * @param outcome         how it ended
 * @param latency         wall time of the chat call (or of the failed capability look-up)
 * @param tokensPerSecond eval_count / eval_duration, 0 when Ollama reported none or there was no answer
 * @param thinking        whether the answer carried thinking text
 * @param httpCode        HTTP status, 0 when no response arrived
 * @param error           what went wrong, empty on Success
 */
public record ProbeResult(ProbeOutcome outcome, Duration latency, double tokensPerSecond, boolean thinking,
                          int httpCode, String error) {

    public ProbeResult {
        error = error == null ? "" : error;
    }

    public boolean isFailure() {
        return outcome.isFailure();
    }

    public long latencyMillis() {
        return latency.toMillis();
    }
}
