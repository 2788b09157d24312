package io.localmodels.operator.router;

import io.localmodels.operator.testing.Edits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.localmodels.operator.testing.MutableClock;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.localmodels.operator.api.Backend;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelSpec;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.api.ModelDetails;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterStatus;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.kube.LegacyFinalizer;
import io.localmodels.operator.status.Conditions;
import io.localmodels.operator.testing.OperatorWorld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The production-wired JOSDK operator with only the ModelRouter reconciler, against the mock API server of {@link OperatorWorld}. */
class ModelRouterReconcilerTest {

    private static final String NS = "llm";
    private static final String PLANTED_MASTER_KEY = "sk-planted-master-7f3a9c";
    private static final String PLANTED_LANGFUSE_SECRET = "sk-lf-planted-41d2e8";
    private static final String PLANTED_DB_URL = "postgresql://admin:planted-pw-93b1@db:5432/litellm";

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults());
    KubernetesMockServer server;
    KubernetesClient client;

    private final ReconcileCounter reconciles = new ReconcileCounter();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    @BeforeEach
    void setUp() {
        client = world.client();
        server = world.server();
    }

    @Test
    void anOpenCircuitTakesTheBackendOutAndClosingItPutsItBack() {
        startWorld(Duration.ZERO);
        String before = awaitConfigWith("http://qwen3-30b.llm.svc.cluster.local:11434");
        String hashBefore = podHash();
        await().atMost(Duration.ofSeconds(20)).until(() -> hashBefore.equals(status().getConfigHash()));
        assertThat(apiBases("qwen3:30b")).containsExactly(
                "http://qwen3-30b.llm.svc.cluster.local:11434", "http://qwen3-30b-b.llm.svc.cluster.local:11434");

        setCircuit("qwen3-30b", "Open");

        await().atMost(Duration.ofSeconds(20)).until(() -> apiBases("qwen3:30b")
                .equals(List.of("http://qwen3-30b-b.llm.svc.cluster.local:11434")));
        await().atMost(Duration.ofSeconds(20)).until(() -> !podHash().equals(hashBefore));
        assertThat(podHash()).isEqualTo(configMap().getMetadata().getAnnotations().get(ProxyResources.CONFIG_HASH_ANNOTATION));
        // the phase stays Ready: status tells the rollout within one status period of its last write
        clock.advance(OperatorConfig.defaults().statusPeriod());
        touchDeployment(); // any event for the router: on this test's clock the held write is due now
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status().getModels().get(0).getExcluded())
                .singleElement().satisfies(e -> {
                    assertThat(e.getLocalModel()).isEqualTo("qwen3-30b");
                    assertThat(e.getReason()).isEqualTo("circuit Open");
                }));
        // the router's gauges count what status says: over all names, one backend left out, the others healthy
        double backends = status().getModels().stream().mapToInt(m -> m.getBackends()).sum();
        assertThat(gauge("localmodels.router.backends")).isEqualTo(backends);
        assertThat(gauge("localmodels.router.backends.excluded")).isEqualTo(1.0);
        assertThat(gauge("localmodels.router.backends.healthy")).isEqualTo(backends - 1);

        setCircuit("qwen3-30b", "Closed");

        await().atMost(Duration.ofSeconds(20)).until(() -> configText().equals(before));
        await().atMost(Duration.ofSeconds(20)).until(() -> podHash().equals(hashBefore));
        clock.advance(OperatorConfig.defaults().statusPeriod());
        touchDeployment();
        await().atMost(Duration.ofSeconds(20)).until(() -> hashBefore.equals(status().getConfigHash()));
        await().atMost(Duration.ofSeconds(20)).until(() -> gauge("localmodels.router.backends.excluded") == 0);
    }

    @Test
    void everyBackendDownKeepsThemAllAndReportsDegraded() {
        startWorld(Duration.ZERO);
        playKubelet(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> "Ready".equals(status().getPhase()));
        assertThat(degradedGauge()).isZero();

        setCircuit("gpt-oss-20b", "Open");

        await().atMost(Duration.ofSeconds(20)).until(() -> "Degraded".equals(status().getPhase()));
        assertThat(apiBases("gpt-oss:20b")).containsExactly("http://gpt-oss-20b.llm.svc.cluster.local:11434");
        assertThat(status().getHealthy()).isEqualTo("1/2");
        assertThat(Conditions.find(status().getConditions(), "Degraded")).get()
                .satisfies(c -> assertThat(c.getMessage()).contains("gpt-oss-20b: circuit Open", "fail static"));
        assertThat(degradedGauge()).isEqualTo(1.0);
    }

    @Test
    void proxyPodsRejectedByQuotaFailTheRouterUntilTheyCanBeCreated() {
        startWorld(Duration.ZERO);
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment() != null);
        // the ReplicaSet controller's create is rejected; the Deployment controller copies the ReplicaSet's
        // ReplicaFailure condition (the same words as its FailedCreate Event) into the Deployment's status
        String quota = "pods \"gateway-6b8f9c7d5-\" is forbidden: exceeded quota: compute, requested: "
                + "limits.memory=2Gi, used: limits.memory=7Gi, limited: limits.memory=8Gi";
        client.apps().deployments().inNamespace(NS).withName("gateway").editStatus(d -> {
            d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                    .withUnavailableReplicas(2)
                    .addNewCondition().withType("Available").withStatus("False").withReason("MinimumReplicasUnavailable")
                    .withMessage("Deployment does not have minimum availability.").endCondition()
                    .addNewCondition().withType("ReplicaFailure").withStatus("True").withReason("FailedCreate")
                    .withMessage(quota).endCondition()
                    .build());
            return d;
        });

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(status().getPhase()).isEqualTo("Failed");
            assertThat(Conditions.find(status().getConditions(), "Available")).get().satisfies(c -> {
                assertThat(c.getReason()).isEqualTo("FailedCreate");
                assertThat(c.getMessage()).isEqualTo("0/2 proxy replicas ready: " + quota);
            });
        });

        // the quota is raised: the pods are created and become ready, the controller removes the condition
        playKubelet(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> "Ready".equals(status().getPhase()));
        assertThat(Conditions.find(status().getConditions(), "Available")).get()
                .satisfies(c -> assertThat(c.getMessage()).isEqualTo("2/2 proxy replicas ready"));
    }

    @Test
    void anUnchangedWorldWritesNothing() throws InterruptedException {
        startWorld(Duration.ZERO);
        playKubelet(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> "Ready".equals(status().getPhase())
                && Conditions.isTrue(status().getConditions(), "Available"));
        drainRequests();
        int reconciled = reconciles.finished("gateway");

        // the operator re-reconciles every 200 ms here; a LocalModel status change that cannot affect routing too
        client.resources(LocalModel.class).inNamespace(NS).withName("qwen3-30b").editStatus(lm -> {
            lm.getStatus().getHealth().setLastProbeTime("2026-11-25T10:00:30Z");
            return lm;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> reconciles.finished("gateway") >= reconciled + 3);

        List<String> writes = drainRequests().stream()
                .filter(r -> !r.getMethod().equals("GET"))
                .filter(r -> !r.getPath().contains("/localmodels/qwen3-30b/status"))
                .map(r -> r.getMethod() + " " + r.getPath()).toList();
        assertThat(writes).isEmpty();
    }

    /** New LocalModels, not Ready yet, added as backends of the router's first model name. */
    private void addBackends(List<String> names) {
        names.forEach(name -> createLocalModel(name, "qwen3:30b"));
        editRouter(r -> names.forEach(name -> {
            Backend b = new Backend();
            b.setLocalModel(name);
            r.getSpec().getModels().get(0).getBackends().add(b);
        }));
    }

    @Test
    void routerStatusWaitsForTheStatusPeriodWhileBackendsComeUpAndTheLastStateLands() throws InterruptedException {
        startWorld(Duration.ofHours(1)); // the first config rolls out; backends that come up later wait for the interval
        playKubelet(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> "Ready".equals(status().getPhase()));
        List<String> coming = List.of("up-0", "up-1", "up-2", "up-3", "up-4");
        addBackends(coming);
        // a spec change is written at once
        await().atMost(Duration.ofSeconds(20)).until(() -> status().getModels() != null
                && status().getModels().get(0).getBackends() == 7);
        drainRequests();

        for (String name : coming) {
            int before = reconciles.finished("gateway");
            markReady(name);
            await().atMost(Duration.ofSeconds(20)).until(() -> reconciles.finished("gateway") > before);
        }
        long whileComingUp = drainRequests().stream()
                .filter(r -> r.getMethod().equals("PUT") && r.getPath().endsWith("/modelrouters/gateway/status")).count();
        assertThat(whileComingUp).as("router status writes while 5 backends came up, within one status period")
                .isLessThanOrEqualTo(1);

        // nothing is lost: once the period is over, the last state is written
        clock.advance(OperatorConfig.defaults().statusPeriod());
        touchDeployment(); // any event for the router: on this test's clock the held write is due now
        await().atMost(Duration.ofSeconds(20)).until(() -> status().getModels().get(0).getHealthyBackends() == 7);
        assertThat(Conditions.find(status().getConditions(), "ConfigValid")).get()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("RolloutPending"));
    }

    @Test
    void whileBackendsComeUpAndRollOutOverSeveralPeriodsStatusIsWrittenOncePerPeriodAndRoutingTurnsAtOnce()
            throws InterruptedException {
        Duration period = OperatorConfig.defaults().statusPeriod();
        startWorld(period); // rollouts as often as the damper allows: one per status period
        playKubelet(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> "Ready".equals(status().getPhase()));
        List<String> coming = List.of("up-0", "up-1", "up-2", "up-3", "up-4", "up-5", "up-6", "up-7", "up-8");
        addBackends(coming);
        await().atMost(Duration.ofSeconds(20)).until(() -> status().getModels() != null
                && status().getModels().get(0).getBackends() == 11);
        drainRequests();

        // one backend every 10 s of the operator's clock, over three periods; each rollout dips the proxy's ready count
        Duration step = period.dividedBy(3);
        String rolledOut = podHash();
        int rollouts = 0;
        long writes = 0;
        for (String name : coming) {
            clock.advance(step);
            int before = reconciles.finished("gateway");
            markReady(name);
            await().atMost(Duration.ofSeconds(20)).until(() -> reconciles.finished("gateway") > before);
            if (!podHash().equals(rolledOut)) {
                rolledOut = podHash();
                rollouts++;
                playKubelet(1);
                playKubelet(2);
            }
            writes += drainRequests().stream()
                    .filter(r -> r.getMethod().equals("PUT") && r.getPath().endsWith("/modelrouters/gateway/status")).count();
        }
        assertThat(rollouts).as("config rollouts while the backends came up").isGreaterThanOrEqualTo(2);
        assertThat(writes).as("status writes over three status periods of backends coming up and rolling out")
                .isBetween(1L, 3L);

        // nothing is lost: a period after the last write the last state is written, the applied config with it
        clock.advance(period);
        touchDeployment(); // any event for the router: on this test's clock the held write is due now
        await().atMost(Duration.ofSeconds(20)).until(() -> status().getModels().get(0).getHealthyBackends() == 11
                && configMap().getMetadata().getAnnotations().get(ProxyResources.CONFIG_HASH_ANNOTATION)
                        .equals(status().getConfigHash()));

        // a routing transition is not held: the name losing its only backend turns Degraded at once, on the same clock
        drainRequests();
        setCircuit("gpt-oss-20b", "Open");
        await().atMost(Duration.ofSeconds(20)).until(() -> "Degraded".equals(status().getPhase()));
        assertThat(drainRequests().stream().filter(r -> r.getMethod().equals("PUT")
                && r.getPath().endsWith("/modelrouters/gateway/status"))).hasSize(1);
    }

    @Test
    void aRouterGetsNoFinalizerAndOneAnEarlierVersionAddedIsRemoved() {
        startWorld(Duration.ZERO);
        awaitConfigWith("http://qwen3-30b.llm.svc.cluster.local:11434");
        assertThat(router().getMetadata().getFinalizers()).isEmpty();

        // as an earlier version left it (JOSDK's default name for our kind)
        String old = LegacyFinalizer.of(ModelRouter.class);
        assertThat(old).isEqualTo("modelrouters.localmodels.io/finalizer");
        client.resources(ModelRouter.class).inNamespace(NS).withName("gateway").edit(r -> {
            r.getMetadata().setFinalizers(List.of(old));
            return r;
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> router().getMetadata().getFinalizers().isEmpty());
        client.resources(ModelRouter.class).inNamespace(NS).withName("gateway").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> router() == null);
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.find("localmodels.router.degraded").gauges().isEmpty());
    }

    @Test
    void anInvalidChangeKeepsTheLastGoodConfig() {
        startWorld(Duration.ZERO);
        String good = awaitConfigWith("http://gpt-oss-20b.llm.svc.cluster.local:11434");
        String hash = podHash();

        editRouter(r -> r.getSpec().getModels().get(0).setFallbacks(List.of("gpt-oss:20b", "llama3:8b")));

        await().atMost(Duration.ofSeconds(20)).until(() -> "Invalid".equals(status().getPhase()));
        assertThat(Conditions.find(status().getConditions(), "ConfigValid")).get().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("InvalidSpec");
            assertThat(c.getMessage()).startsWith("spec.models[0].fallbacks[1]: 'llama3:8b' is not a model name");
        });
        assertThat(configText()).isEqualTo(good);
        assertThat(podHash()).isEqualTo(hash);
        assertThat(status().getConfigHash()).isEqualTo(hash);
        await().atMost(Duration.ofSeconds(20)).until(() -> events().stream()
                .anyMatch(e -> e.getReason().equals("InvalidSpec") && e.getType().equals("Warning")));

        editRouter(r -> r.getSpec().getModels().get(0).setFallbacks(List.of("gpt-oss:20b")));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Conditions.isTrue(status().getConditions(), "ConfigValid"));
        assertThat(configText()).isEqualTo(good);
    }

    @Test
    void aFailingBackendLeavesAtOnceButComesBackOnlyAfterTheRolloutInterval() {
        startWorld(Duration.ofHours(1));
        awaitConfigWith("http://qwen3-30b.llm.svc.cluster.local:11434");
        String first = podHash();

        // taking a failing backend out is not held back, even right after a rollout
        setCircuit("qwen3-30b", "Open");
        await().atMost(Duration.ofSeconds(20)).until(() -> apiBases("qwen3:30b").size() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> !podHash().equals(first));
        String removed = podHash();

        // bringing it back waits for the interval: a flapping model does not roll the proxy on every flip. That a
        // config waits changes no routing: status says so within one status period
        setCircuit("qwen3-30b", "Closed");
        clock.advance(OperatorConfig.defaults().statusPeriod());
        await().atMost(Duration.ofSeconds(20)).until(() -> Conditions.find(status().getConditions(), "ConfigValid")
                .map(c -> c.getReason().equals("RolloutPending")).orElse(false));
        assertThat(apiBases("qwen3:30b")).hasSize(1);
        assertThat(podHash()).isEqualTo(removed);

        clock.advance(Duration.ofHours(1));
        playKubelet(1); // any event for the router; the deferred rollout is due now

        await().atMost(Duration.ofSeconds(20)).until(() -> apiBases("qwen3:30b").size() == 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> !podHash().equals(removed));
    }

    @Test
    void plantedSecretValuesAppearInNoConfigMapStatusEventOrLog() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("io.localmodels");
        ch.qos.logback.classic.Level oursBefore = ours.getLevel();
        ours.setLevel(ch.qos.logback.classic.Level.DEBUG); // every line we could write, whatever the log config
        logs.start();
        root.addAppender(logs);
        try {
            startWorld(Duration.ZERO);
            client.resource(new SecretBuilder().withNewMetadata().withName("litellm-db").withNamespace(NS).endMetadata()
                    .withStringData(Map.of("url", PLANTED_DB_URL)).build()).create();
            setCircuit("qwen3-30b", "Open");
            await().atMost(Duration.ofSeconds(20)).until(() -> apiBases("qwen3:30b").size() == 1);
            editRouter(r -> r.getSpec().getCallbacks().get(0).setSecretRef("missing-langfuse"));
            await().atMost(Duration.ofSeconds(20)).until(() -> "Invalid".equals(status().getPhase()));

            List<String> places = new ArrayList<>();
            client.configMaps().inNamespace(NS).list().getItems().forEach(cm -> places.add(client.getKubernetesSerialization().asJson(cm)));
            places.add(client.getKubernetesSerialization().asJson(router()));
            places.add(client.getKubernetesSerialization().asJson(client.apps().deployments().inNamespace(NS).list()));
            events().forEach(e -> places.add(client.getKubernetesSerialization().asJson(e)));
            // every log line of the operator process; the mock API server's own debug log (test-only) prints stored objects
            logs.list.stream().filter(e -> !e.getLoggerName().startsWith("io.fabric8.kubernetes.client.server.mock")
                            && !e.getLoggerName().startsWith("io.fabric8.mockwebserver"))
                    .forEach(e -> places.add(e.getFormattedMessage()));

            assertThat(events()).isNotEmpty();
            assertThat(logs.list).isNotEmpty();
            for (String planted : List.of(PLANTED_MASTER_KEY, PLANTED_LANGFUSE_SECRET, PLANTED_DB_URL, "planted")) {
                assertThat(places).as("places holding %s", planted).noneMatch(p -> p.contains(planted));
            }
        } finally {
            root.detachAppender(logs);
            ours.setLevel(oursBefore);
        }
    }

    // --- the world ---

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private double degradedGauge() {
        return gauge("localmodels.router.degraded");
    }

    private double gauge(String name) {
        return meters.get(name).tag("name", "gateway").gauge().value();
    }

    private void startWorld(Duration rolloutInterval) {
        client.resource(new SecretBuilder().withNewMetadata().withName("litellm-master-key").withNamespace(NS).endMetadata()
                .withStringData(Map.of("masterKey", PLANTED_MASTER_KEY)).build()).create();
        client.resource(new SecretBuilder().withNewMetadata().withName("langfuse-credentials").withNamespace(NS).endMetadata()
                .withStringData(Map.of("LANGFUSE_PUBLIC_KEY", "pk-lf-public", "LANGFUSE_SECRET_KEY", PLANTED_LANGFUSE_SECRET,
                        "LANGFUSE_HOST", "https://langfuse.example")).build()).create();
        readyLocalModel("qwen3-30b", "qwen3:30b");
        readyLocalModel("qwen3-30b-b", "qwen3:30b");
        readyLocalModel("gpt-oss-20b", "gpt-oss:20b");

        ModelRouter router = RouterFixtures.router("gateway/router.yaml");
        Backend second = new Backend();
        second.setLocalModel("qwen3-30b-b");
        router.getSpec().getModels().get(0).setBackends(
                List.of(router.getSpec().getModels().get(0).getBackends().get(0), second));
        client.resource(router).create();

        OperatorConfig config = OperatorConfig.defaults().withRouterRolloutInterval(rolloutInterval).withClock(clock);
        // the router's controller alone: the test plays the LocalModels' status itself
        ModelRouterReconciler reconciler = new ModelRouterReconciler(config, new RouterMetrics(meters));
        world.startAlone(reconciles, operator -> operator.register(reconciler,
                o -> o.withReconciliationMaxInterval(Duration.ofMillis(200))));
    }

    private void readyLocalModel(String name, String model) {
        createLocalModel(name, model);
        markReady(name);
    }

    private void createLocalModel(String name, String model) {
        LocalModel lm = new LocalModel();
        lm.getMetadata().setName(name);
        lm.getMetadata().setNamespace(NS);
        LocalModelSpec spec = new LocalModelSpec();
        spec.setModel(model);
        lm.setSpec(spec);
        client.resource(lm).create();
    }

    /** Its status as a LocalModel reconciler writes it once the model serves. */
    private void markReady(String name) {
        LocalModelStatus st = new LocalModelStatus();
        st.setPhase("Ready");
        st.setEndpoint("http://" + name + "." + NS + ".svc.cluster.local:11434");
        st.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("True").withReason("ServingTraffic").build()));
        HealthStatus health = new HealthStatus();
        health.setCircuit("Closed");
        st.setHealth(health);
        ModelDetails details = new ModelDetails();
        details.setContextLength(32768);
        st.setModel(details);
        client.resources(LocalModel.class).inNamespace(NS).withName(name).editStatus(l -> {
            l.setStatus(st);
            return l;
        });
    }

    private void setCircuit(String name, String circuit) {
        client.resources(LocalModel.class).inNamespace(NS).withName(name).editStatus(lm -> {
            lm.getStatus().getHealth().setCircuit(circuit);
            return lm;
        });
    }

    private void editRouter(Consumer<ModelRouter> change) {
        Edits.edit(client.resources(ModelRouter.class).inNamespace(NS).withName("gateway"), r -> {
            change.accept(r);
            return r;
        });
    }

    /** An event for the router that changes nothing it renders: an annotation on its Deployment. */
    private void touchDeployment() {
        client.apps().deployments().inNamespace(NS).withName("gateway").edit(d -> {
            var annotations = new java.util.HashMap<>(d.getMetadata().getAnnotations() == null ? Map.of()
                    : d.getMetadata().getAnnotations());
            annotations.put("test.localmodels.io/touched", clock.instant().toString());
            d.getMetadata().setAnnotations(annotations);
            return d;
        });
    }

    /** The mock runs no Deployment controller: report the replicas ready ourselves. */
    private void playKubelet(int ready) {
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment() != null);
        client.apps().deployments().inNamespace(NS).withName("gateway").editStatus(d -> {
            d.setStatus(new DeploymentStatusBuilder().withReplicas(2).withReadyReplicas(ready).build());
            return d;
        });
    }

    // --- observations ---

    private ModelRouter router() {
        return client.resources(ModelRouter.class).inNamespace(NS).withName("gateway").get();
    }

    private ModelRouterStatus status() {
        ModelRouter r = router();
        return r == null || r.getStatus() == null ? new ModelRouterStatus() : r.getStatus();
    }

    private ConfigMap configMap() {
        return client.configMaps().inNamespace(NS).withName("gateway-litellm").get();
    }

    private String configText() {
        ConfigMap cm = configMap();
        return cm == null ? "" : cm.getData().get("config.yaml");
    }

    private String awaitConfigWith(String text) {
        await().atMost(Duration.ofSeconds(20)).until(() -> configText().contains(text) && deployment() != null);
        return configText();
    }

    private Deployment deployment() {
        return client.apps().deployments().inNamespace(NS).withName("gateway").get();
    }

    private String podHash() {
        Deployment d = deployment();
        return d == null ? "" : d.getSpec().getTemplate().getMetadata().getAnnotations().get(ProxyResources.CONFIG_HASH_ANNOTATION);
    }

    @SuppressWarnings("unchecked")
    private List<String> apiBases(String modelName) {
        Object parsed = RouterFixtures.parse(configText());
        if (!(parsed instanceof Map<?, ?> root)) {
            return List.of();
        }
        return ((List<Map<String, Object>>) root.get("model_list")).stream()
                .filter(m -> modelName.equals(m.get("model_name")))
                .map(m -> (String) ((Map<String, Object>) m.get("litellm_params")).get("api_base"))
                .toList();
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(NS).list().getItems();
    }

    private List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

}
