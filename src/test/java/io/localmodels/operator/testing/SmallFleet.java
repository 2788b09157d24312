package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.fleet.FleetPage;
import io.localmodels.operator.ops.OperatorHttpServer;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A small realistic fleet in an {@link OperatorWorld}, with the operator's HTTP port serving it: two models Ready on
 * pods ({@code qwen3-30b}, described by an annotation, and {@code gpt-oss-20b}), one pulling ({@code qwen3-small}),
 * one stuck unschedulable with the scheduler's message ({@code big-gpu}), an external workstation
 * ({@code workstation-llama}, its own fake at {@link #workstation}) and a ModelRouter {@code gateway} over them.
 * The strings a user or the cluster controls ({@link #DESCRIPTION}, {@link #SCHEDULER_MESSAGE}) carry markup.
 */
public final class SmallFleet implements AutoCloseable {

    public static final String NS = ModelsInCluster.NAMESPACE;
    public static final String DESCRIPTION = "<script>document.title='owned'</script> chat for team <b>search</b>";
    public static final String SCHEDULER_MESSAGE = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu "
            + "<script>alert(1)</script>";

    public final OperatorWorld world;
    public final FakeOllama workstation;
    public final OperatorHarness operator;
    public final OperatorHttpServer http;

    /** Builds the fleet, starts the operator and its port, and waits until the models stand where described. */
    public SmallFleet(OperatorWorld world) {
        this.world = world;
        KubernetesClient client = world.client();
        world.ollama().addModel("qwen3:30b", "a".repeat(64), 18_556_688_736L)
                .addModel("gpt-oss:20b", "b".repeat(64), 13_780_000_000L);
        world.ollama().model("gpt-oss:20b").vramShare(0.82);
        workstation = new FakeOllama().addModel("llama3.2:3b", "c".repeat(64), 2_019_000_000L);
        String workstationUrl = world.serve(workstation).url("/").toString();
        client.resource(new SecretBuilder().withNewMetadata().withName("litellm-master-key").withNamespace(NS)
                .endMetadata().addToStringData("masterKey", "sk-test-0123456789").build()).create();
        operator = world.start();
        create(client, LocalModel.class, """
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata:
                  name: qwen3-30b
                  namespace: llm
                  annotations: {kubernetes.io/description: "%s"}
                spec: {model: 'qwen3:30b', probe: {interval: 200ms, window: 20}}
                """.formatted(DESCRIPTION.replace("\"", "\\\"")));
        create(client, LocalModel.class, """
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: gpt-oss-20b, namespace: llm}
                spec: {model: 'gpt-oss:20b', probe: {interval: 200ms, window: 20}}
                """);
        create(client, LocalModel.class, """
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: qwen3-small, namespace: llm}
                spec: {model: 'qwen3:0.6b'}
                """);
        create(client, LocalModel.class, """
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: big-gpu, namespace: llm}
                spec: {model: 'qwen3:235b', gpu: {count: 4}}
                """);
        create(client, LocalModel.class, """
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: workstation-llama, namespace: llm}
                spec:
                  model: 'llama3.2:3b'
                  external: {url: '%s'}
                  probe: {interval: 200ms, window: 10}
                  circuitBreaker: {minimumProbes: 4, failureRateThreshold: 50, openDuration: 60s}
                """.formatted(workstationUrl));
        create(client, ModelRouter.class, """
                apiVersion: localmodels.io/v1alpha1
                kind: ModelRouter
                metadata: {name: gateway, namespace: llm}
                spec:
                  models:
                    - name: 'qwen3:30b'
                      backends: [{localModel: qwen3-30b}]
                      fallbacks: ['gpt-oss:20b']
                    - name: 'gpt-oss:20b'
                      backends: [{localModel: gpt-oss-20b}]
                    - name: 'llama3.2:3b'
                      backends: [{localModel: workstation-llama}, {localModel: qwen3-small}]
                  healthGating: true
                  masterKeySecretRef: {name: litellm-master-key, key: masterKey}
                """);
        ModelsInCluster models = world.models();
        Kubelet kubelet = world.kubelet();
        kubelet.readyPod(models.awaitStatefulSet("qwen3-30b"), 0);
        kubelet.readyPod(models.awaitStatefulSet("gpt-oss-20b"), 0);
        kubelet.readyPod(models.awaitStatefulSet("qwen3-small"), 0);
        kubelet.unschedulablePod(models.awaitStatefulSet("big-gpu"), 0, SCHEDULER_MESSAGE);
        // the Deployment controller's part: the proxy's one replica is up
        await().until(() -> client.apps().deployments().inNamespace(NS).withName("gateway").get() != null);
        // the operator may write the Deployment meanwhile (a 409): play the controller again on the newer version
        await().ignoreException(KubernetesClientException.class).until(() -> client.apps().deployments().inNamespace(NS)
                .withName("gateway").editStatus(d -> {
                    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                            .withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).withUpdatedReplicas(1)
                            .addNewCondition().withType("Available").withStatus("True")
                            .withReason("MinimumReplicasAvailable").endCondition().build());
                    return d;
                }) != null);
        Map<String, String> expected = Map.of("qwen3-30b", Phase.READY.value(), "gpt-oss-20b", Phase.READY.value(),
                "workstation-llama", Phase.READY.value(), "qwen3-small", Phase.PULLING.value(),
                "big-gpu", Phase.SCHEDULING.value());
        int[] pullsSeen = {0};
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            playPulls(pullsSeen);
            Map<String, String> phases = new TreeMap<>();
            expected.keySet().forEach(name -> phases.put(name, models.phase(name)));
            assertThat(phases).as("phases").isEqualTo(new TreeMap<>(expected));
            // status is written for news only: the sparkline's probes are counted in the monitor
            assertThat(operator.operator().health().debugView().stream().filter(v -> v.name().equals("qwen3-30b"))
                    .mapToInt(v -> v.window().size()).sum()).as("probes of qwen3-30b").isGreaterThanOrEqualTo(3);
        });
        http = new OperatorHttpServer(0, operator.registry, () -> true, () -> operator.operator().health().debugView(),
                refresh -> FleetPage.render(operator.operator().fleet(), refresh, Instant.now()),
                FleetPage.DEFAULT_REFRESH_SECONDS);
    }

    /**
     * Answers the pulls opened since the last call as Ollama would: a model the fake has on disk succeeds at once;
     * qwen3-small's (not on disk) stays under way at 37 %.
     */
    private void playPulls(int[] seen) {
        FakeOllama ollama = world.ollama();
        while (seen[0] < ollama.pullsStarted()) {
            PullStream pull = ollama.awaitPull(seen[0]++).manifest();
            if (pull.requestBody().contains("qwen3:0.6b")) {
                pull.layer("d".repeat(64), 522_000_000L, 193_000_000L);
            } else {
                pull.succeed();
            }
        }
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> void create(KubernetesClient client,
                                                                                        Class<T> type, String yaml) {
        client.resource(Objects.requireNonNull(client.getKubernetesSerialization().unmarshal(yaml, type))).create();
    }

    /** The page's address, reloading itself every {@code refreshSeconds}. */
    public String pageUrl(int refreshSeconds) {
        return "http://localhost:" + http.port() + "/?refresh=" + refreshSeconds;
    }

    /** What a Prometheus scrape of the operator's port returns now. */
    public String scrape() {
        return operator.registry.scrape();
    }

    @Override
    public void close() {
        http.close();
    }
}
