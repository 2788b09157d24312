package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.testing.MutableClock;
import io.localmodels.operator.testing.OllamaAnswers;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The breaker opens, goes half-open on the probe schedule and closes, on a clock the test moves. */
class ModelCircuitTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final List<String> transitions = new ArrayList<>();

    private static final ProbeResult OK = new ProbeResult(ProbeOutcome.Success, Duration.ofMillis(100), 10, false, 200, "");
    private static final ProbeResult FAIL = new ProbeResult(ProbeOutcome.Timeout, Duration.ofSeconds(60), 0, false, 0, "t");
    private static final ProbeResult BUDGET = new ProbeResult(ProbeOutcome.ThinkingBudgetExhausted, Duration.ofMillis(900),
            70, true, 200, "budget");

    private ModelCircuit circuit(int threshold, int minimum, int halfOpen, int window) {
        return new ModelCircuit("ns/m", new CircuitSettings(threshold, minimum, Duration.ofSeconds(60), halfOpen), window,
                clock, transition -> transitions.add(transition.text()));
    }

    private static void probe(ModelCircuit circuit, ProbeResult result) {
        assertThat(circuit.tryAcquire()).as("probe permitted").isTrue();
        circuit.record(result);
    }

    @Test
    void opensHalfOpensAfterTheOpenDurationAndCloses() {
        ModelCircuit circuit = circuit(50, 4, 2, 20);
        probe(circuit, OK);
        probe(circuit, FAIL);
        probe(circuit, FAIL);
        assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);        // 3 probes: below the minimum of 4
        probe(circuit, FAIL);                                    // 3 of 4 failed = 75% ≥ 50%
        assertThat(circuit.state()).isEqualTo(CircuitState.OPEN);
        assertThat(circuit.state().code()).isEqualTo(2);

        assertThat(circuit.tryAcquire()).isFalse();              // open: no probes
        clock.advance(Duration.ofSeconds(60));
        assertThat(circuit.tryAcquire()).isFalse();              // not yet after exactly the open duration
        clock.advance(Duration.ofMillis(1));
        assertThat(circuit.tryAcquire()).isTrue();               // the scheduled probe turns it half-open
        assertThat(circuit.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(circuit.state().code()).isEqualTo(1);
        circuit.record(OK);
        probe(circuit, BUDGET);                                  // an exhausted thinking budget is no failure
        assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(transitions).containsExactly("Closed→Open", "Open→HalfOpen", "HalfOpen→Closed");
    }

    @Test
    void failedTrialProbesReopen() {
        ModelCircuit circuit = circuit(50, 2, 2, 5);
        probe(circuit, FAIL);
        probe(circuit, FAIL);
        assertThat(circuit.state()).isEqualTo(CircuitState.OPEN);
        clock.advance(Duration.ofSeconds(61));
        probe(circuit, OK);
        assertThat(circuit.tryAcquire()).isTrue();
        assertThat(circuit.tryAcquire()).as("only halfOpenProbes trial probes").isFalse();
        circuit.record(FAIL);                                    // 1 of 2 trials failed = 50% ≥ 50%
        assertThat(circuit.state()).isEqualTo(CircuitState.OPEN);
        assertThat(transitions).containsExactly("Closed→Open", "Open→HalfOpen", "HalfOpen→Open");
    }

    @Test
    void failureRateIsOverTheLastWindowProbesOnly() {
        ModelCircuit circuit = circuit(50, 4, 1, 4);
        probe(circuit, FAIL);
        probe(circuit, OK);
        probe(circuit, OK);
        probe(circuit, OK);                                      // 1 of 4 = 25%
        probe(circuit, FAIL);                                    // window slides: F O O O F → O O O F = 25%
        assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);
        probe(circuit, FAIL);                                    // O O F F = 50%
        assertThat(circuit.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void minimumProbesFailuresInARowOpenItBeforeTheRateOverALongWindowWould() {
        ModelCircuit circuit = circuit(50, 4, 1, 20);
        for (int i = 0; i < 12; i++) {
            probe(circuit, OK);
        }
        probe(circuit, FAIL);
        probe(circuit, FAIL);
        probe(circuit, FAIL);
        assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);
        probe(circuit, FAIL);                                    // 4 of 16 = 25%, but 4 in a row: the model is down
        assertThat(circuit.state()).isEqualTo(CircuitState.OPEN);
        assertThat(transitions).containsExactly("Closed→Open");
    }

    @Test
    void aMinimumAboveTheWindowIsCappedSoTheCircuitCanStillOpen() {
        ModelCircuit circuit = circuit(100, 50, 1, 3);
        probe(circuit, FAIL);
        probe(circuit, FAIL);
        probe(circuit, FAIL);
        assertThat(circuit.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void aFailingTrafficPeriodCountsItsFailedRequestsUpToTheFailuresInARowThatOpen() {
        ModelCircuit busy = circuit(50, 4, 1, 20);
        probe(busy, OK);
        busy.recordTraffic(false, 0);
        busy.recordTraffic(true, 40); // 40 users' requests failed in one period: as many as four failed probes
        assertThat(busy.state()).as("open after one failing reading").isEqualTo(CircuitState.OPEN);

        ModelCircuit fewer = circuit(50, 4, 1, 20);
        for (int i = 0; i < 10; i++) {
            probe(fewer, OK); // so that only the failures in a row can open it, not the window's rate
        }
        fewer.recordTraffic(true, 3); // three failed requests: three failures in a row, not yet four
        assertThat(fewer.state()).isEqualTo(CircuitState.CLOSED);
        fewer.recordTraffic(true, 3);
        assertThat(fewer.state()).as("the second failing reading").isEqualTo(CircuitState.OPEN);

        ModelCircuit healed = circuit(50, 4, 1, 20);
        for (int i = 0; i < 10; i++) {
            probe(healed, OK);
        }
        healed.recordTraffic(true, 3);
        healed.recordTraffic(false, 0); // a healthy period breaks the run, as a successful probe does
        healed.recordTraffic(true, 3);
        assertThat(healed.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(transitions).containsExactly("Closed→Open", "Closed→Open");
    }
}
