package io.localmodels.operator.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterStatus;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.api.RouterBackendTraffic;
import io.localmodels.operator.api.RouterModelStatus;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.FakeLiteLlm;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorWorld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each backend's traffic through a ModelRouter in the router's status, through the real operator: fake LiteLLM proxy
 * pods of two routers serve their Prometheus pages, and each router shows only its own proxies' requests; steady
 * traffic and a quiet router write nothing, changing traffic at most once per status period.
 */
class RouterTrafficOperatorTest {

    static final Duration STATUS_PERIOD = Duration.ofMillis(500);
    static final String ID = "llm/m";
    static final int PER_PERIOD = 10;

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(STATUS_PERIOD)
            .withRouterRolloutInterval(Duration.ofMillis(100)));
    KubernetesClient client;
    ModelsInCluster models;

    @BeforeEach
    void start() {
        client = world.client();
        models = world.models();
        world.ollama().addModel("qwen3:30b", "c".repeat(64), 1000);
        world.start();
        world.serve("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: m, namespace: llm}
                spec:
                  model: 'qwen3:30b'
                  probe: {interval: 200ms, window: 10}
                """);
        await().atMost(Duration.ofSeconds(60)).until(() -> models.phase("m"), Phase.READY.value()::equals);
        router("gateway");
    }

    private void router(String name) {
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: ModelRouter
                metadata: {name: %s, namespace: llm}
                spec:
                  models:
                    - name: chat
                      backends: [{localModel: m}]
                """.formatted(name), ModelRouter.class)).create();
        // settled: the proxy exists and the status says the backend is healthy and its config applied
        await().atMost(Duration.ofSeconds(60)).until(() -> client.apps().deployments().inNamespace("llm")
                .withName(name).get() != null && status(name).map(s -> "1/1".equals(s.getHealthy())
                && s.getConditions().stream().anyMatch(c -> "ConfigApplied".equals(c.getReason()))).orElse(false));
    }

    private Optional<ModelRouterStatus> status(String router) {
        return Optional.ofNullable(client.resources(ModelRouter.class).inNamespace("llm").withName(router).get())
                .map(ModelRouter::getStatus);
    }

    /** The backend m's figures under model name chat, as the router's status shows them. */
    private Optional<RouterBackendTraffic> traffic(String router) {
        return status(router).map(ModelRouterStatus::getModels).flatMap(ms -> ms.stream()
                        .filter(m -> "chat".equals(m.getName())).findFirst())
                .map(RouterModelStatus::getTraffic).flatMap(ts -> ts.stream()
                        .filter(t -> "m".equals(t.getLocalModel())).findFirst());
    }

    private FakeLiteLlm busyProxy(String router, String pod, int perPeriod) {
        FakeLiteLlm proxy = world.proxyPod(router, pod);
        proxy.betweenScrapes(() -> proxy.succeed(ID, perPeriod, Duration.ofMillis(800)));
        return proxy;
    }

    private static void awaitScrapes(FakeLiteLlm proxy, int n) {
        int target = proxy.scrapes() + n;
        await().atMost(Duration.ofSeconds(60)).until(() -> proxy.scrapes() >= target);
    }

    /** Status writes of {@code router} the API server received since the last call (the mock's journal, drained). */
    private int statusWrites(String router) {
        String path = "/apis/localmodels.io/v1alpha1/namespaces/llm/modelrouters/" + router + "/status";
        int writes = 0;
        try {
            RecordedRequest r;
            while ((r = world.server().takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                if (!"GET".equals(r.getMethod()) && r.getPath().startsWith(path)) {
                    writes++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return writes;
    }

    @Test
    void eachRouterShowsItsOwnTrafficForTheBackend() {
        router("other");
        busyProxy("gateway", "gateway-7d9f-a", PER_PERIOD);
        busyProxy("other", "other-5c4b-a", 3 * PER_PERIOD);

        await().atMost(Duration.ofSeconds(60)).until(() -> traffic("gateway").map(t -> t.getRequests() == PER_PERIOD)
                .orElse(false) && traffic("other").map(t -> t.getRequests() == 3 * PER_PERIOD).orElse(false));

        RouterBackendTraffic t = traffic("gateway").orElseThrow();
        assertThat(t.getRequestsPerMinute()).isPositive();
        assertThat(t.getSuccessRate()).isEqualTo(1.0);
        assertThat(t.getBackendFailures()).isZero();
        assertThat(t.getClientErrors()).isZero();
        assertThat(t.getLatencyP95Ms()).isBetween(500L, 1000L);
        assertThat(t.getDeploymentState()).isEqualTo("healthy");
        assertThat(t.getStale()).isFalse();
        assertThat(Instant.parse(t.getSince())).isBeforeOrEqualTo(Instant.parse(t.getObservedTime())); // whole seconds
        // the LocalModel's figures are both routers' together
        await().atMost(Duration.ofSeconds(60)).until(() -> Optional.ofNullable(models.get("m").getStatus().getHealth())
                .map(h -> h.getTraffic()).map(f -> f.getRequests() == 4 * PER_PERIOD).orElse(false));
    }

    @Test
    void steadyTrafficIsWrittenOnceAndChangingTrafficAtMostOncePerPeriod() {
        FakeLiteLlm proxy = busyProxy("gateway", "gateway-7d9f-a", PER_PERIOD);
        await().atMost(Duration.ofSeconds(60)).until(() -> traffic("gateway")
                .map(t -> t.getRequests() == PER_PERIOD).orElse(false));
        awaitScrapes(proxy, 1); // a write held by the pacing has gone out by the next round
        String shownAt = traffic("gateway").orElseThrow().getObservedTime();
        statusWrites("gateway");

        awaitScrapes(proxy, 5);
        assertThat(statusWrites("gateway")).as("steady traffic rewrites nothing").isZero();
        assertThat(traffic("gateway").orElseThrow().getObservedTime()).isEqualTo(shownAt);

        // every period's figures differ materially from the last: at most one write per period
        AtomicInteger period = new AtomicInteger();
        proxy.betweenScrapes(() -> proxy.succeed(ID, period.incrementAndGet() % 2 == 0 ? PER_PERIOD : 4 * PER_PERIOD,
                Duration.ofMillis(800)));
        int from = proxy.scrapes();
        await().atMost(Duration.ofSeconds(60)).until(() -> traffic("gateway")
                .map(t -> t.getRequests() == 4 * PER_PERIOD).orElse(false));
        awaitScrapes(proxy, 6);
        int writes = statusWrites("gateway");
        assertThat(writes).as("changing traffic is written").isPositive()
                .isLessThanOrEqualTo(proxy.scrapes() - from + 1);
    }

    @Test
    void aQuietRouterWritesNothingAndTrafficThatStopsIsWrittenOnce() {
        FakeLiteLlm proxy = world.proxyPod("gateway", "gateway-7d9f-a"); // it has served no request yet
        awaitScrapes(proxy, 1);
        statusWrites("gateway");
        awaitScrapes(proxy, 4);
        assertThat(statusWrites("gateway")).isZero();
        assertThat(status("gateway").orElseThrow().getModels()).allSatisfy(m -> assertThat(m.getTraffic()).isNull());

        proxy.betweenScrapes(() -> proxy.succeed(ID, PER_PERIOD, Duration.ofMillis(800)));
        await().atMost(Duration.ofSeconds(60)).until(() -> traffic("gateway")
                .map(t -> t.getRequests() == PER_PERIOD).orElse(false));
        proxy.betweenScrapes(() -> { });
        await().atMost(Duration.ofSeconds(60)).until(() -> traffic("gateway")
                .map(t -> t.getRequests() == 0).orElse(false));
        awaitScrapes(proxy, 1);
        statusWrites("gateway");

        // LiteLLM keeps its series (and the deployment state) after the last request: zero growth writes nothing
        awaitScrapes(proxy, 5);
        assertThat(statusWrites("gateway")).isZero();
        RouterBackendTraffic t = traffic("gateway").orElseThrow();
        assertThat(t.getRequestsPerMinute()).isZero();
        assertThat(t.getSuccessRate()).as("no requests, no rate").isNull();
    }

    @Test
    void aProxyThatCannotBeReadMarksTheRoutersFiguresStale() {
        FakeLiteLlm proxy = busyProxy("gateway", "gateway-7d9f-a", PER_PERIOD);
        await().atMost(Duration.ofSeconds(60)).until(() -> traffic("gateway")
                .map(t -> t.getRequests() == PER_PERIOD).orElse(false));
        Instant cut = Instant.now();

        proxy.unreachable(true);
        await().atMost(Duration.ofSeconds(60)).until(() -> traffic("gateway").map(t -> t.getStale()).orElse(false));

        RouterBackendTraffic stale = traffic("gateway").orElseThrow();
        assertThat(stale.getRequests()).as("the last known figures, not invented ones").isEqualTo(PER_PERIOD);
        assertThat(Instant.parse(stale.getObservedTime())).isBeforeOrEqualTo(cut);
        List<RouterModelStatus> shown = status("gateway").orElseThrow().getModels();
        assertThat(shown).singleElement().satisfies(m -> assertThat(m.getHealthyBackends()).isEqualTo(1));
    }
}
