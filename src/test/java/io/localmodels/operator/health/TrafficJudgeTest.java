package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.TrafficStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.localmodels.operator.health.TrafficJudge.Verdict.FAILING;
import static io.localmodels.operator.health.TrafficJudge.Verdict.HEALTHY;
import static io.localmodels.operator.health.TrafficJudge.Verdict.PROBE;
import static org.assertj.core.api.Assertions.assertThat;

/** When users' requests stand in for a probe, and when probes must run. */
class TrafficJudgeTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration FRESH = Duration.ofSeconds(60);
    private final CircuitSettings circuit = new CircuitSettings(50, 4, Duration.ofSeconds(60), 2, 5);

    private static TrafficEvidence evidence(long ok, long failed, boolean stale, Instant at) {
        return new TrafficEvidence(1, at, stale, ok, failed, new TrafficStatus());
    }

    private TrafficJudge.Verdict verdict(TrafficEvidence e, CircuitState state) {
        return TrafficJudge.verdict(e, circuit, state, true, NOW, FRESH);
    }

    @Test
    void enoughSuccessesStandInForAProbe() {
        assertThat(verdict(evidence(5, 0, false, NOW), CircuitState.CLOSED)).isEqualTo(HEALTHY);
        assertThat(verdict(evidence(8, 3, false, NOW), CircuitState.CLOSED)).isEqualTo(HEALTHY);
    }

    @Test
    void failuresAtTheThresholdRateCountAsAFailedProbe() {
        assertThat(verdict(evidence(3, 3, false, NOW), CircuitState.CLOSED)).isEqualTo(FAILING);
        assertThat(verdict(evidence(0, 9, false, NOW), CircuitState.CLOSED)).isEqualTo(FAILING);
    }

    @Test
    void probesRunForSilentStaleOldOrNotClosedBackendsAndBeforeTheFirstProbe() {
        assertThat(verdict(evidence(4, 0, false, NOW), CircuitState.CLOSED)).as("below minimumRequests").isEqualTo(PROBE);
        assertThat(verdict(evidence(50, 0, true, NOW), CircuitState.CLOSED)).as("stale").isEqualTo(PROBE);
        assertThat(verdict(evidence(50, 0, false, NOW.minus(FRESH).minusSeconds(1)), CircuitState.CLOSED))
                .as("too old").isEqualTo(PROBE);
        assertThat(verdict(evidence(50, 0, false, NOW), CircuitState.HALF_OPEN)).isEqualTo(PROBE);
        assertThat(verdict(evidence(50, 0, false, NOW), CircuitState.OPEN)).isEqualTo(PROBE);
        assertThat(verdict(null, CircuitState.CLOSED)).isEqualTo(PROBE);
        assertThat(TrafficJudge.verdict(evidence(50, 0, false, NOW), circuit, CircuitState.CLOSED, false, NOW, FRESH))
                .as("never probed").isEqualTo(PROBE);
    }
}
