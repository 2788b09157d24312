package io.localmodels.operator.pull;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBackoffTest {

    @Test
    void doublesFromTenSecondsAndStopsAtFiveMinutes() {
        RetryBackoff backoff = RetryBackoff.PULLS;
        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(backoff.delayAfter(5)).isEqualTo(Duration.ofSeconds(160));
        assertThat(backoff.delayAfter(6)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.delayAfter(1_000)).isEqualTo(Duration.ofMinutes(5));
    }
}
