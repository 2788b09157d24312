package io.localmodels.operator.pull;

import java.time.Duration;

/** Exponential backoff between pull attempts: {@code initial}, doubled per failed attempt, capped at {@code max}. */
record RetryBackoff(Duration initial, Duration max) {

    static final RetryBackoff PULLS = new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5));

    /** The wait after the {@code attempts}-th consecutive failure (1-based). */
    Duration delayAfter(int attempts) {
        Duration delay = initial;
        for (int i = 1; i < attempts && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
