package io.localmodels.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.ReplicaHealth;
import io.localmodels.operator.ollama.OllamaClient;
import io.localmodels.operator.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A model's health over its replicas: figures over all their probes, the best replica's circuit, a line per pod; and
 * when that is worth a status write.
 */
class ModelHealthTest {

    static final ResourceID ID = new ResourceID("m", "llm");
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ModelProbe.Resolved target = new ModelProbe.Resolved("http://10.1.0.10:11434", "qwen3:30b",
            ProbeSettings.from(null), new CircuitSettings(50, 2, Duration.ofMinutes(10), 1), null);

    static ProbeResult ok(long millis) {
        return new ProbeResult(ProbeOutcome.Success, Duration.ofMillis(millis), 20, false, 200, "");
    }

    static final ProbeResult FAIL = new ProbeResult(ProbeOutcome.HttpError, Duration.ofMillis(5), 0, false, 500, "boom");

    ModelProbe replica(String name) {
        return new ModelProbe(ID, name, target, new OllamaClient(new OkHttpClient(), target.endpoint()),
                new ModelCircuit(name, target.circuit(), 20, clock, t -> { }),
                new ProbeMetrics(registry, ID, "qwen3:30b", name), Duration.ofSeconds(30));
    }

    void record(ModelProbe probe, ProbeResult result) {
        clock.advance(Duration.ofSeconds(1));
        probe.record(new ProbeCycle(Optional.empty(), true, Optional.empty(), result), clock.instant(), e -> { });
    }

    ModelHealth model(ModelProbe... replicas) {
        Map<String, ModelProbe> byName = new TreeMap<>();
        for (ModelProbe p : replicas) {
            byName.put(p.replica, p);
        }
        return new ModelHealth(ID, target.settings(), byName, new ProbeMetrics(registry, ID, "qwen3:30b", null),
                Duration.ofSeconds(30));
    }

    @Test
    void oneFailingReplicaBesideAHealthyOneLeavesTheModelClosedAndSaysWhichFails() {
        ModelProbe good = replica("m-0");
        ModelProbe bad = replica("m-1");
        for (int i = 0; i < 3; i++) {
            record(good, ok(100 + i * 100));
            record(bad, FAIL);
        }

        PublishedHealth health = ModelHealth.verdict(model(good, bad).replicas().values());

        assertThat(health.circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(health.healthy()).isTrue();
        assertThat(health.health().getProbes()).isEqualTo(6);
        assertThat(health.health().getSuccessRate()).isEqualTo(0.5);
        assertThat(health.health().getLatencyP95Ms()).as("over all measured probes").isEqualTo(300L);
        assertThat(health.health().getConsecutiveFailures()).as("the replica with the fewest").isZero();
        assertThat(health.health().getReplicas()).extracting(ReplicaHealth::getName, ReplicaHealth::getCircuit,
                        ReplicaHealth::getLastResult, ReplicaHealth::getReady)
                .containsExactly(tuple("m-0", "Closed", "Success", true), tuple("m-1", "Open", "HttpError", false));
    }

    @Test
    void theModelsCircuitOpensOnlyWhenEveryReplicasIsOpen() {
        ModelProbe a = replica("m-0");
        ModelProbe b = replica("m-1");
        for (int i = 0; i < 2; i++) {
            record(a, FAIL);
        }
        record(b, ok(100));
        ModelHealth model = model(a, b);
        assertThat(ModelHealth.verdict(model.replicas().values()).circuit()).isEqualTo(CircuitState.CLOSED);

        record(b, FAIL);
        record(b, FAIL);
        PublishedHealth down = ModelHealth.verdict(model.replicas().values());
        assertThat(down.circuit()).isEqualTo(CircuitState.OPEN);
        assertThat(down.healthy()).isFalse();
    }

    @Test
    void aReplicaNotProbedYetIsListedNotReadyAndDoesNotVote() {
        ModelProbe probed = replica("m-0");
        record(probed, FAIL);
        record(probed, FAIL);

        PublishedHealth health = ModelHealth.verdict(model(probed, replica("m-1")).replicas().values());

        assertThat(health.circuit()).as("the fresh replica's closed breaker proves nothing").isEqualTo(CircuitState.OPEN);
        assertThat(health.health().getReplicas()).extracting(ReplicaHealth::getName, ReplicaHealth::getLastResult,
                ReplicaHealth::getReady).containsExactly(tuple("m-0", "HttpError", false), tuple("m-1", null, false));
    }

    @Test
    void anExternalServerGetsNoReplicaLinesAndTheSameFiguresAsItsWindow() {
        ModelProbe server = replica(ProbeTarget.SERVER);
        record(server, ok(100));

        PublishedHealth health = ModelHealth.verdict(List.of(server));

        assertThat(health.health().getReplicas()).isNull();
        assertThat(health.health()).usingRecursiveComparison().ignoringFields("decidedBy")
                .isEqualTo(HealthVerdict.of(server.window(), server.circuit.state()).health());
        assertThat(health.health().getDecidedBy()).isEqualTo("probe");
    }

    @Test
    void aReplicasGateChangeIsPublishedAtOnceOtherChangesOncePerPeriod() {
        ModelProbe a = replica("m-0");
        ModelProbe b = replica("m-1");
        record(a, ok(100));
        record(b, ok(100));
        ModelHealth model = model(a, b);
        assertThat(model.publishIfDue(clock.instant(), false)).isTrue();

        record(a, ok(900)); // figures move: held until the period passes
        assertThat(model.publishIfDue(clock.instant(), false)).isFalse();

        record(b, FAIL);
        record(b, FAIL); // m-1's circuit opens: its line changes, published at once
        assertThat(model.publishIfDue(clock.instant(), false)).isTrue();
        assertThat(model.published().health().getReplicas()).extracting(ReplicaHealth::getReady).containsExactly(true, false);

        clock.advance(Duration.ofSeconds(31));
        record(a, ok(200));
        assertThat(model.publishIfDue(clock.instant(), false)).as("after the period, material changes").isTrue();
    }

    @Test
    void latencyMovesWithinTheToleranceAreNotNewsAMoveBeyondItIs() {
        ModelProbe a = replica("m-0");
        record(a, ok(1000));
        ModelHealth model = model(a);
        assertThat(model.publishIfDue(clock.instant(), false)).as("the first result at once").isTrue();

        clock.advance(Duration.ofSeconds(31)); // past the status period: only materiality holds these back
        for (long millis : new long[] {1040, 960, 1090, 1010}) {
            record(a, ok(millis));
            assertThat(model.publishIfDue(clock.instant(), false)).as("%d ms, within 10 %% of 1000", millis).isFalse();
        }
        assertThat(model.published().health().getLatencyP95Ms()).isEqualTo(1000L);

        record(a, ok(1200));
        assertThat(model.publishIfDue(clock.instant(), false)).as("p95 1000 → 1200 ms: seen once").isFalse();
        clock.advance(Duration.ofSeconds(30));
        record(a, ok(1200));
        assertThat(model.publishIfDue(clock.instant(), false)).as("p95 1000 → 1200 ms a status period later")
                .isTrue();
        assertThat(model.published().health().getLatencyP95Ms()).isEqualTo(1200L);
        assertThat(model.published().health().getProbes()).as("the rest goes along").isEqualTo(7);
    }

    @Test
    void aSlowProbeIsNotNewsUnlessTheMoveHoldsForAStatusPeriod() {
        ModelProbe a = replica("m-0");
        for (int i = 0; i < 19; i++) {
            record(a, ok(1000));
        }
        ModelHealth model = model(a);
        assertThat(model.publishIfDue(clock.instant(), false)).isTrue();
        clock.advance(Duration.ofSeconds(31));

        record(a, ok(3000)); // one slow probe: the window's p95 is 3000 while it stays in the window
        assertThat(model.publishIfDue(clock.instant(), false)).isFalse();
        clock.advance(Duration.ofSeconds(10));
        record(a, ok(1000));
        assertThat(model.publishIfDue(clock.instant(), false)).isFalse();
        record(a, ok(1000)); // a window of 20: the slow probe is still in it, but the move is not a period old
        assertThat(model.publishIfDue(clock.instant(), false)).isFalse();
        for (int i = 0; i < 19; i++) {
            record(a, ok(1000)); // the slow probe leaves the window: back within the tolerance, the clock restarts
        }
        assertThat(model.publishIfDue(clock.instant(), false)).isFalse();
        clock.advance(Duration.ofSeconds(30));
        record(a, ok(1000));
        assertThat(model.publishIfDue(clock.instant(), false)).as("nothing held: no write").isFalse();
        assertThat(model.published().health().getLatencyP95Ms()).isEqualTo(1000L);
    }

    @Test
    void aSmallLatencyMustMoveByMoreThanTwentyMillisecondsToBeNews() {
        ModelProbe a = replica("m-0");
        record(a, ok(10));
        ModelHealth model = model(a);
        assertThat(model.publishIfDue(clock.instant(), false)).isTrue();
        clock.advance(Duration.ofSeconds(31));

        record(a, ok(28));
        assertThat(model.publishIfDue(clock.instant(), false)).as("p95 10 → 28 ms: 180 %%, but 18 ms").isFalse();
        record(a, ok(40));
        assertThat(model.publishIfDue(clock.instant(), false)).as("p95 10 → 40 ms, just seen").isFalse();
        clock.advance(Duration.ofSeconds(30));
        record(a, ok(40));
        assertThat(model.publishIfDue(clock.instant(), false)).as("p95 10 → 40 ms for a status period").isTrue();
    }

    @Test
    void aFillingWindowAndNewTimestampsWaitForTheHeartbeatAnotherResultClassDoesNot() {
        ModelProbe a = replica("m-0");
        record(a, ok(100));
        ModelHealth model = model(a);
        assertThat(model.publishIfDue(clock.instant(), false)).isTrue();
        String firstProbe = model.published().health().getLastProbeTime();

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(31));
            record(a, ok(100));
            assertThat(model.publishIfDue(clock.instant(), false)).as("probe %d", i + 2).isFalse();
        }
        assertThat(model.published().health().getProbes()).isEqualTo(1);

        clock.advance(ModelHealth.HEARTBEAT);
        record(a, ok(100));
        assertThat(model.publishIfDue(clock.instant(), false)).as("the heartbeat").isTrue();
        assertThat(model.published().health().getProbes()).isEqualTo(7);
        assertThat(model.published().health().getLastProbeTime()).isNotEqualTo(firstProbe)
                .isEqualTo(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());

        // a thinking model that ran out of tokens: still a success, but another lastResult and reason
        record(a, new ProbeResult(ProbeOutcome.ThinkingBudgetExhausted, Duration.ofMillis(100), 20, true, 200,
                "thinking used all of maxTokens"));
        assertThat(model.publishIfDue(clock.instant(), false)).as("within the status period").isFalse();
        clock.advance(Duration.ofSeconds(31));
        assertThat(model.publishIfDue(clock.instant(), false)).isTrue();
        assertThat(model.published().health().getLastResult()).isEqualTo("ThinkingBudgetExhausted");
        assertThat(model.published().reason()).isEqualTo("ThinkingBudgetExhausted");
    }
}
