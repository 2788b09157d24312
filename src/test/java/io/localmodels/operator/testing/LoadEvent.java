package io.localmodels.operator.testing;

import java.time.Duration;
import java.time.Instant;

/**
 * One entry of the fake Ollama's load journal: a load of {@code model} started, completed, was aborted because the
 * client that started it went away, or failed; or the test unloaded the model. {@code after} is the time since the
 * load started (zero for STARTED and UNLOADED).
 */
public record LoadEvent(String model, Kind kind, Instant at, Duration after) {

    /** What happened to the load. */
    public enum Kind { STARTED, COMPLETED, ABORTED, FAILED, UNLOADED }

    @Override
    public String toString() {
        return kind + " " + model + " at " + at + (after.isZero() ? "" : " after " + after.toMillis() + " ms");
    }
}
