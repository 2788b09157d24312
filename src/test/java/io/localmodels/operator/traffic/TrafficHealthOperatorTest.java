package io.localmodels.operator.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.api.TrafficStatus;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.FakeLiteLlm;
import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorHarness;
import io.localmodels.operator.testing.OperatorWorld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health from real traffic through the real operator: a fake LiteLLM proxy pod serves its Prometheus page, the
 * operator reads it every status period and lets the users' requests stand in for probes while they flow.
 */
class TrafficHealthOperatorTest {

    static final Duration STATUS_PERIOD = Duration.ofMillis(500);
    static final String ID = "llm/m";
    static final int PER_PERIOD = 10;
    static final int MINIMUM_PROBES = 4;

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(STATUS_PERIOD));
    KubernetesClient client;
    ModelsInCluster models;
    FakeOllama ollama;
    OperatorHarness harness;

    @BeforeEach
    void start() {
        client = world.client();
        models = world.models();
        ollama = world.ollama();
        ollama.addModel("qwen3:30b", "c".repeat(64), 1000);
        harness = world.start();
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: m, namespace: llm}
                spec:
                  model: 'qwen3:30b'
                  probe: {interval: 200ms, window: 10}
                  circuitBreaker: {minimumProbes: %d, failureRateThreshold: 50, openDuration: 10m, minimumRequests: 5}
                """.formatted(MINIMUM_PROBES), LocalModel.class)).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.apps().statefulSets().inNamespace("llm").withName("m").get() != null);
        world.kubelet().readyPod(client.apps().statefulSets().inNamespace("llm").withName("m").get(), 0);
        await().atMost(Duration.ofSeconds(60)).until(() -> models.phase("m"), Phase.READY.value()::equals);
    }

    private HealthStatus health() {
        return models.get("m").getStatus().getHealth();
    }

    private Optional<TrafficStatus> traffic() {
        return Optional.ofNullable(health()).map(HealthStatus::getTraffic);
    }

    /** A busy backend: every period its users send {@link #PER_PERIOD} requests that succeed. */
    private FakeLiteLlm busyProxy(String pod) {
        FakeLiteLlm proxy = world.proxyPod("gateway", pod);
        proxy.betweenScrapes(() -> proxy.succeed(ID, PER_PERIOD, Duration.ofMillis(800)));
        return proxy;
    }

    private void awaitTrafficDecides() {
        await().atMost(Duration.ofSeconds(60)).until(() -> "traffic".equals(health().getDecidedBy())
                && traffic().map(t -> t.getRequests() != null && t.getRequests() >= PER_PERIOD).orElse(false));
    }

    /** Waits for {@code n} more metrics pages of {@code proxy}. */
    private static void awaitScrapes(FakeLiteLlm proxy, int n) {
        int target = proxy.scrapes() + n;
        await().atMost(Duration.ofSeconds(60)).until(() -> proxy.scrapes() >= target);
    }

    @Test
    void aBusyHealthyBackendIsNotProbedWhileItsUsersRequestsSucceed() {
        FakeLiteLlm proxy = busyProxy("gateway-7d9f-a");

        awaitTrafficDecides();
        awaitScrapes(proxy, 1); // a probe sent before traffic took over has ended by now
        long chats = ollama.chats();
        awaitScrapes(proxy, 4);

        assertThat(ollama.chats()).as("no probe while traffic flows").isEqualTo(chats);
        TrafficStatus t = traffic().orElseThrow();
        assertThat(t.getRequests()).isEqualTo(PER_PERIOD);
        assertThat(t.getSuccessRate()).isEqualTo(1.0);
        assertThat(t.getBackendFailures()).isZero();
        assertThat(t.getDeploymentState()).isEqualTo("healthy");
        assertThat(t.getLatencyP95Ms()).isBetween(500L, 1000L);
        assertThat(t.getStale()).isFalse();
        assertThat(t.getSince()).isNotNull();
        assertThat(models.get("m").getStatus().getPhase()).isEqualTo(Phase.READY.value());
        assertThat(harness.registry.scrape()).contains("localmodels_probe_skipped_total{",
                "localmodels_probe_gpu_seconds_saved_total{");
    }

    @Test
    void whenItsUsersRequestsFailTheCircuitOpensWithinTwoReadings() {
        FakeLiteLlm proxy = busyProxy("gateway-7d9f-a");
        awaitTrafficDecides();

        // the model still answers probes; only its users' requests fail, with 5xx (client 4xx mixed in do not count)
        proxy.betweenScrapes(() -> proxy.fail(ID, PER_PERIOD, "500", "Ollama_chat.InternalServerError")
                .fail(ID, 3, "400", "Ollama_chat.BadRequestError"));
        int failingFrom = proxy.scrapes();
        // the live circuit (its gauge), not status: status follows within its one second of coalescing
        await().atMost(Duration.ofSeconds(60)).until(() -> harness.registry.find("localmodels.model.circuit.state")
                .gauges().stream().anyMatch(g -> g.value() == 2));

        // failed probes would take minimumProbes intervals; the first reading with PER_PERIOD failed requests counts
        // them (up to minimumProbes) at the next probe tick, and opens it: that reading, or the next one when the tick
        // came just after it
        assertThat(PER_PERIOD).isGreaterThanOrEqualTo(MINIMUM_PROBES);
        assertThat(proxy.scrapes() - failingFrom).isLessThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> "Open".equals(health().getCircuit()));
        assertThat(models.phase("m")).isEqualTo(Phase.UNAVAILABLE.value());
        TrafficStatus t = traffic().orElseThrow();
        assertThat(t.getBackendFailures()).isEqualTo(PER_PERIOD);
        assertThat(t.getClientErrors()).isEqualTo(3);
        assertThat(t.getFailuresByClass()).containsEntry("Ollama_chat.InternalServerError", (long) PER_PERIOD);
        assertThat(t.getDeploymentState()).isEqualTo("partialOutage");
    }

    @Test
    void aFailingReadingCountsWhenItArrivesNotAtTheNextProbeTick() {
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: slow, namespace: llm}
                spec:
                  model: 'qwen3:30b'
                  probe: {interval: 1h, window: 10}
                  circuitBreaker: {minimumProbes: %d, failureRateThreshold: 50, openDuration: 10m, minimumRequests: 5}
                """.formatted(MINIMUM_PROBES), LocalModel.class)).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.apps().statefulSets().inNamespace("llm").withName("slow").get() != null);
        world.kubelet().readyPod(client.apps().statefulSets().inNamespace("llm").withName("slow").get(), 0);
        // its first probe runs at once; the next tick is half an hour or more away
        await().atMost(Duration.ofSeconds(60)).until(() -> models.phase("slow"), Phase.READY.value()::equals);

        FakeLiteLlm proxy = world.proxyPod("gateway", "gateway-7d9f-a");
        proxy.betweenScrapes(() -> proxy.fail("llm/slow", PER_PERIOD, "500", "Ollama_chat.InternalServerError"));
        int failingFrom = proxy.scrapes();
        await().atMost(Duration.ofSeconds(60)).until(() -> "Open".equals(models.get("slow").getStatus().getHealth()
                .getCircuit()));

        // the first reading is a baseline; the next one shows the failures and opens the circuit when it arrives
        assertThat(proxy.scrapes() - failingFrom).isLessThanOrEqualTo(2 + 2); // + the second of status coalescing
        assertThat(models.phase("slow")).isEqualTo(Phase.UNAVAILABLE.value());
    }

    @Test
    void whenTrafficStopsProbesResumeWithinOnePeriod() {
        FakeLiteLlm proxy = busyProxy("gateway-7d9f-a");
        awaitTrafficDecides();
        long chats = ollama.chats();

        proxy.betweenScrapes(() -> { });
        int stoppedAt = proxy.scrapes();
        await().atMost(Duration.ofSeconds(60)).until(() -> ollama.chats() > chats);

        // the reading after the last requests shows none: the next tick probes
        assertThat(proxy.scrapes() - stoppedAt).isLessThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> "probe".equals(health().getDecidedBy()));
        assertThat(traffic().orElseThrow().getRequests()).isZero();
    }

    @Test
    void aRestartedProxyReplicaIsNeitherNegativeNorDoubled() {
        FakeLiteLlm a = busyProxy("gateway-7d9f-a");
        FakeLiteLlm b = busyProxy("gateway-7d9f-b");
        awaitTrafficDecides();
        List<Long> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            traffic().map(TrafficStatus::getRequests).ifPresent(seen::add);
            return traffic().map(t -> t.getRequests() == 2 * PER_PERIOD).orElse(false);
        });

        b.restart();
        int restartedAt = b.scrapes();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            traffic().map(TrafficStatus::getRequests).ifPresent(seen::add);
            return b.scrapes() >= restartedAt + 4;
        });

        // both pods are read every period: each period's figures are both pods' requests, before and after the restart
        assertThat(seen.subList(seen.size() - 3, seen.size())).containsOnly(2L * PER_PERIOD);
        assertThat(seen).allSatisfy(n -> assertThat(n).isBetween(0L, 2L * PER_PERIOD));
        assertThat(a.scrapes()).isPositive();
        assertThat(health().getDecidedBy()).isEqualTo("traffic");
    }

    @Test
    void aProxyThatCannotBeReadLeavesFiguresStaleAndProbesCarryOn() {
        FakeLiteLlm proxy = busyProxy("gateway-7d9f-a");
        awaitTrafficDecides();
        long chats = ollama.chats();

        proxy.unreachable(true);
        Instant cut = Instant.now();
        await().atMost(Duration.ofSeconds(60)).until(() -> traffic().map(t -> Boolean.TRUE.equals(t.getStale())).orElse(false));
        await().atMost(Duration.ofSeconds(60)).until(() -> ollama.chats() > chats);

        TrafficStatus stale = traffic().orElseThrow();
        assertThat(stale.getRequests()).as("the last known figures, not invented ones").isEqualTo(PER_PERIOD);
        assertThat(Instant.parse(stale.getObservedTime())).as("read before the proxy went away").isBeforeOrEqualTo(cut);
        await().atMost(Duration.ofSeconds(60)).until(() -> "probe".equals(health().getDecidedBy()));
        assertThat(models.phase("m")).isEqualTo(Phase.READY.value());
    }
}
