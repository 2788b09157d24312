package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.HealthStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HealthWindowTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static ProbeResult ok(long ms, double tps) {
        return new ProbeResult(ProbeOutcome.Success, Duration.ofMillis(ms), tps, false, 200, "");
    }

    private static ProbeResult failed(ProbeOutcome outcome, long ms) {
        return new ProbeResult(outcome, Duration.ofMillis(ms), 0, false, 0, outcome + " happened");
    }

    @Test
    void nearestRankPercentilesOfAKnownSequence() {
        HealthWindow window = new HealthWindow(20);
        // 20 latencies 100..2000 ms, recorded out of order
        for (int i : new int[] {7, 3, 20, 1, 15, 9, 11, 2, 18, 5, 13, 4, 16, 6, 19, 8, 12, 10, 17, 14}) {
            window.record(ok(i * 100L, 10), T0.plusSeconds(i));
        }
        // p50: rank ceil(0.5*20)=10 → 1000 ms; p95: rank ceil(0.95*20)=19 → 1900 ms
        assertThat(window.latencyPercentile(50)).contains(1000L);
        assertThat(window.latencyPercentile(95)).contains(1900L);
        assertThat(window.latencyPercentile(100)).contains(2000L);
        assertThat(window.latencyPercentile(1)).contains(100L);
    }

    @Test
    void successRateCountsOnlyTheWindowAndBudgetExhaustionIsNoFailure() {
        HealthWindow window = new HealthWindow(5);
        window.record(failed(ProbeOutcome.Timeout, 60_000), T0);          // slides out below
        window.record(ok(100, 40), T0.plusSeconds(30));
        window.record(failed(ProbeOutcome.EmptyResponse, 200), T0.plusSeconds(60));
        window.record(new ProbeResult(ProbeOutcome.ThinkingBudgetExhausted, Duration.ofMillis(300), 80, true, 200,
                "budget"), T0.plusSeconds(90));
        window.record(ok(400, 41.66), T0.plusSeconds(120));
        window.record(failed(ProbeOutcome.HttpError, 500), T0.plusSeconds(150));
        assertThat(window.probes()).isEqualTo(5);
        assertThat(window.successRate()).contains(0.6);
        assertThat(window.consecutiveFailures()).isEqualTo(1);
        assertThat(window.latencyPercentile(50)).contains(300L);

        HealthStatus status = window.toStatus(CircuitState.CLOSED);
        assertThat(status.getSuccessRate()).isEqualTo(0.6);
        assertThat(status.getTokensPerSecond()).isEqualTo(41.7);
        assertThat(status.getProbes()).isEqualTo(5);
        assertThat(status.getLastResult()).isEqualTo("HttpError");
        assertThat(status.getLastError()).isEqualTo("HttpError happened");
        assertThat(status.getLastProbeTime()).isEqualTo("2026-11-25T10:02:30Z");
        assertThat(status.getLastSuccessTime()).isEqualTo("2026-11-25T10:02:00Z");
        assertThat(status.getLatencyP50Ms()).isEqualTo(300L);
        assertThat(status.getLatencyP95Ms()).isEqualTo(500L);
        assertThat(status.getCircuit()).isEqualTo("Closed");
    }

    @Test
    void refusedConnectionsDoNotCountAsFastLatencies() {
        HealthWindow window = new HealthWindow(10);
        window.record(ok(900, 10), T0);
        window.record(failed(ProbeOutcome.ConnectionError, 1), T0.plusSeconds(1));
        window.record(failed(ProbeOutcome.ServerBusy, 2), T0.plusSeconds(2));
        window.record(failed(ProbeOutcome.Timeout, 5000), T0.plusSeconds(3));
        assertThat(window.latencyPercentile(50)).contains(900L);
        assertThat(window.latencyPercentile(95)).contains(5000L);
        assertThat(window.consecutiveFailures()).isEqualTo(3);
        assertThat(window.successRate()).contains(0.25);
    }

    @Test
    void emptyWindowHasNoStatistics() {
        HealthWindow window = new HealthWindow(3);
        assertThat(window.successRate()).isEmpty();
        assertThat(window.latencyPercentile(50)).isEmpty();
        HealthStatus status = window.toStatus(CircuitState.CLOSED);
        assertThat(status.getProbes()).isZero();
        assertThat(status.getSuccessRate()).isNull();
        assertThat(status.getLastResult()).isNull();
    }
}
