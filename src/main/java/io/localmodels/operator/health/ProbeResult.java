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
 * @param timing          where an answered probe's time went, as Ollama reported it; {@link Timing#NONE} otherwise
 */
public record ProbeResult(ProbeOutcome outcome, Duration latency, double tokensPerSecond, boolean thinking,
                          int httpCode, String error, Timing timing) {

    /**
     * Ollama's own durations of an answer, in nanoseconds: {@code total} is GPU-side time (what probing costs),
     * {@code load} the model load it waited for, {@code queue} the wait for a free slot (total minus load, prompt
     * evaluation and generation).
     */
    public record Timing(long total, long load, long queue) {
        public static final Timing NONE = new Timing(0, 0, 0);
    }

    public ProbeResult {
        error = error == null ? "" : error;
        timing = timing == null ? Timing.NONE : timing;
    }

    public ProbeResult(ProbeOutcome outcome, Duration latency, double tokensPerSecond, boolean thinking, int httpCode,
                       String error) {
        this(outcome, latency, tokensPerSecond, thinking, httpCode, error, Timing.NONE);
    }

    /** The same result with another outcome and error text (a Busy that outlasted its grace becomes a Timeout). */
    public ProbeResult as(ProbeOutcome other, String text) {
        return new ProbeResult(other, latency, tokensPerSecond, thinking, httpCode, text, timing);
    }

    public boolean isFailure() {
        return outcome.isFailure();
    }

    public long latencyMillis() {
        return latency.toMillis();
    }
}
