package io.localmodels.operator.health;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.FakeModel;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.MutableClock;
import io.localmodels.operator.testing.OperatorHarness;
import io.localmodels.operator.testing.OperatorWorld;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What probing costs the API server, through the real operator: the first health without waiting an interval, no
 * write while a model's figures stay within the tolerance, a write when they leave it, and the heartbeat that keeps
 * {@code lastProbeTime} in status from going stale. The operator's clock is the test's, so the status period and the
 * heartbeat pass when the test says; the fake model takes 1.5 s per answer, so that the latency the probes
 * measure is the fake's and not the machine's noise.
 */
class HealthWritesOperatorTest {

    static final Duration STATUS_PERIOD = Duration.ofSeconds(10);
    static final String MODEL = "qwen3:30b";

    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(STATUS_PERIOD)
            .withClock(clock));
    KubernetesClient client;
    ModelsInCluster models;
    OperatorHarness harness;

    @BeforeEach
    void start() {
        client = world.client();
        models = world.models();
        world.ollama().addModel(MODEL, "c".repeat(64), 1000);
        harness = world.start();
    }

    private void create(String interval) {
        world.serve("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: m, namespace: llm}
                spec:
                  model: 'qwen3:30b'
                  probe: {interval: %s, window: 10}
                """.formatted(interval));
    }

    private double probesDone() {
        return harness.registry.find(ProbeMetrics.PROBES).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The status period passes on the operator's clock, then the next probe ends: one publish decision. */
    private void probeAfterThePeriod() {
        clock.advance(STATUS_PERIOD);
        double done = probesDone();
        await().atMost(Duration.ofSeconds(10)).until(() -> probesDone() > done);
    }

    /** A model answering in ~1.5 s, Ready, and past the first probes of a fresh JVM (what they moved is written). */
    private FakeModel readyAndSettled() {
        FakeModel model = world.ollama().model(MODEL).generationTime(Duration.ofMillis(1500));
        create("200ms");
        await().atMost(Duration.ofSeconds(30)).until(() -> models.phase("m"), Phase.READY.value()::equals);
        await().atMost(Duration.ofSeconds(10)).until(() -> models.get("m").getStatus().getModel().getVramBytes() != null);
        probeAfterThePeriod();
        probeAfterThePeriod();
        return model;
    }

    private String resourceVersion() {
        return models.get("m").getMetadata().getResourceVersion();
    }

    @Test
    void theFirstProbeRunsWithoutWaitingAnInterval() {
        create("1h");
        await().atMost(Duration.ofSeconds(30)).until(() -> models.phase("m"), Phase.READY.value()::equals);
        HealthStatus health = models.health("m");
        assertThat(health.getProbes()).isEqualTo(1);
        assertThat(health.getLastResult()).isEqualTo("Success");
    }

    @Test
    void aQuietModelIsWrittenOnlyWhenItsLatencyMovesBeyondTheToleranceOrAtTheHeartbeat() {
        FakeModel model = readyAndSettled();

        // steady: each probe is past the status period, its latency within 10 % of the published ~1.5 s
        String before = resourceVersion();
        HealthStatus published = models.health("m");
        for (long millis : new long[] {1530, 1500, 1540, 1510}) {
            model.generationTime(Duration.ofMillis(millis));
            probeAfterThePeriod();
        }
        probeAfterThePeriod();
        assertThat(resourceVersion()).as("no write to the LocalModel while nothing material changed").isEqualTo(before);
        assertThat(models.health("m").getProbes()).isEqualTo(published.getProbes());

        // the heartbeat writes what waited: the filled window and a fresh lastProbeTime
        clock.advance(ModelHealth.HEARTBEAT);
        String heartbeat = clock.instant().toString();
        await().atMost(Duration.ofSeconds(10)).until(() -> heartbeat.equals(models.health("m").getLastProbeTime()));
        assertThat(models.health("m").getProbes()).isGreaterThan(published.getProbes());

        // the model slows down by two thirds: p95 moves beyond the tolerance, stays there for a status period (the
        // first probe to end may have begun before the change) and is written
        model.generationTime(Duration.ofMillis(2500));
        probeAfterThePeriod();
        probeAfterThePeriod();
        probeAfterThePeriod();
        await().atMost(Duration.ofSeconds(10)).until(() -> models.health("m").getLatencyP95Ms() >= 2500);
        assertThat(resourceVersion()).isNotEqualTo(before);
    }

    @Test
    void aRestartedOperatorsFirstProbesRewriteNoStatusThatStillTellsTheTruth() {
        readyAndSettled();
        String before = resourceVersion();

        harness = world.restart();
        double done = probesDone();
        await().atMost(Duration.ofSeconds(30)).until(() -> probesDone() >= done + 3);
        probeAfterThePeriod();
        assertThat(resourceVersion()).as("the new operator's first results are no news").isEqualTo(before);
    }
}
