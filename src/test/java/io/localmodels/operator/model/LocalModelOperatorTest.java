package io.localmodels.operator.model;

import static io.localmodels.operator.testing.StatusConditions.condition;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.testing.Edits;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.Kubelet;
import io.localmodels.operator.testing.OperatorHarness;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorWorld;
import io.localmodels.operator.testing.PullStream;
import org.junit.jupiter.api.BeforeEach;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;

import static io.localmodels.operator.testing.OperatorHarness.writes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real operator against the mock API server, with a fake Ollama: what platform teams see in status. */
class LocalModelOperatorTest {

    static final String DIGEST = "a".repeat(64);

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults()
            .withPullProgressPeriod(Duration.ofMillis(100)).withStatusPeriod(Duration.ofMillis(500)));
    KubernetesClient client;
    ModelsInCluster models;
    FakeOllama ollama;
    OperatorHarness harness;
    Kubelet kubelet;

    @BeforeEach
    void start() {
        client = world.client();
        models = world.models();
        ollama = world.ollama();
        kubelet = world.kubelet();
        harness = world.start();
    }

    @Test
    void createsTheStatefulSetAndServiceAsSpecified() {
        LocalModel lm = client.resource(sample("qwen3-30b", "qwen3:30b", "")).create();

        StatefulSet sts = models.awaitStatefulSet("qwen3-30b");
        StatefulSet desired = OllamaWorkload.statefulSet(lm, OperatorConfig.defaults());
        assertThat(sts.getSpec()).isEqualTo(desired.getSpec());
        assertThat(sts.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(lm.getMetadata().getUid()));
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        Service svc = await().until(() -> client.services().inNamespace("llm").withName("qwen3-30b").get(), s -> s != null);
        assertThat(svc.getSpec().getPorts().get(0).getPort()).isEqualTo(11434);
        await().until(() -> models.phase("qwen3-30b"), p -> Phase.PENDING.value().equals(p));
        assertThat(models.get("qwen3-30b").getStatus().getEndpoint()).isEqualTo("http://qwen3-30b.llm.svc.cluster.local:11434");
    }

    @Test
    void specChangeRollsTheStatefulSet() {
        client.resource(sample("m", "qwen3:30b", "")).create();
        String before = models.awaitStatefulSet("m").getMetadata().getResourceVersion();

        Edits.edit(client.resources(LocalModel.class).inNamespace("llm").withName("m"), lm -> {
            lm.getSpec().getGpu().setCount(2);
            return lm;
        });

        await().untilAsserted(() -> {
            StatefulSet sts = client.apps().statefulSets().inNamespace("llm").withName("m").get();
            assertThat(sts.getMetadata().getResourceVersion()).isNotEqualTo(before);
            assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
                    .containsEntry("nvidia.com/gpu", new Quantity("2"));
        });
    }

    @Test
    void pullProgressReachesStatusAndSurvivesARestartAndAnErrorLine() throws IOException {
        client.resource(sample("m", "qwen3:30b", "")).create();
        kubelet.readyPod(models.awaitStatefulSet("m"), 0);

        PullStream first = ollama.awaitPull(0);
        first.manifest().announce(DIGEST, 1000).layer(DIGEST, 1000, 400);
        await().untilAsserted(() -> {
            LocalModel lm = models.get("m");
            assertThat(lm.getStatus().getPhase()).isEqualTo(Phase.PULLING.value());
            assertThat(lm.getStatus().getPull().getProgressPercent()).isEqualTo(40);
            assertThat(lm.getStatus().getPull().getCompletedBytes()).isEqualTo(400);
        });

        // the operator is killed mid-pull; the next one pulls again and Ollama resumes from what it kept
        world.stop();
        first.cut();
        harness = world.start();
        PullStream second = ollama.awaitPull(1);
        second.manifest().layer(DIGEST, 1000, 400).layer(DIGEST, 1000, 750);
        await().untilAsserted(() -> assertThat(models.get("m").getStatus().getPull().getProgressPercent()).isEqualTo(75));
        assertThat(ollama.pullRequests()).isEqualTo(2);

        // Ollama reports a failure as an error line inside HTTP 200
        second.error("pull model manifest: file does not exist");
        await().untilAsserted(() -> {
            Condition pulled = condition(models.get("m"), "ModelPulled");
            assertThat(pulled.getStatus()).isEqualTo("False");
            assertThat(pulled.getReason()).isEqualTo("PullFailed");
            assertThat(pulled.getMessage()).contains("file does not exist");
        });
    }

    @Test
    void pulledModelIsProbedAndBecomesReady() {
        client.resource(sample("m", "qwen3:30b", "  probe: {interval: 200ms}\n")).create();
        kubelet.readyPod(models.awaitStatefulSet("m"), 0);
        PullStream pull = ollama.awaitPull(0);
        pull.manifest().layer(DIGEST, 1000, 1000);
        ollama.addModel("qwen3:30b", DIGEST, 1000);
        pull.succeed();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            LocalModel lm = models.get("m");
            assertThat(lm.getStatus().getPhase()).isEqualTo(Phase.READY.value());
            assertThat(lm.getStatus().getReady()).isEqualTo("1/1");
            assertThat(lm.getStatus().getHealth().getCircuit()).isEqualTo("Closed");
            assertThat(lm.getStatus().getHealth().getSuccessRate()).isEqualTo(1.0);
            assertThat(lm.getStatus().getModel().getDigest()).isEqualTo("sha256:" + DIGEST);
            assertThat(lm.getStatus().getModel().getOllamaVersion()).isEqualTo("0.12.6");
            assertThat(lm.getStatus().getModel().getCapabilities()).containsExactly("completion");
            assertThat(lm.getStatus().getModel().getContextLength()).isEqualTo(40960);
            assertThat(condition(lm, "Ready").getStatus()).isEqualTo("True");
        });
    }

    @Test
    void anUnchangedWorldWritesNothingOnAFullResync() {
        ollama.addModel("qwen3:30b", DIGEST, 1000);
        // the first probe runs at once, but never ends (for the default 60 s timeout), and the next is an hour away:
        // no probe result falls inside the window measured below
        ollama.mode(FakeOllama.Mode.STALL);
        client.resource(sample("m", "qwen3:30b", "  probe: {interval: 1h}\n")).create();
        kubelet.readyPod(models.awaitStatefulSet("m"), 0);
        await().until(() -> models.phase("m"), Phase.LOADING.value()::equals);
        int tagsBefore = ollama.tagsRequests();

        world.stop();
        harness.drainRequests();
        harness = world.start();  // a new operator reconciles everything it finds

        await().until(() -> ollama.tagsRequests() > tagsBefore);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> writes(harness.drainRequests()).isEmpty());
        assertThat(models.phase("m")).isEqualTo(Phase.LOADING.value());
        assertThat(ollama.pullRequests()).isZero();
    }

    @Test
    void unschedulablePodMessageSurfacesInConditions() {
        client.resource(sample("m", "qwen3:30b", "")).create();
        kubelet.unschedulablePod(models.awaitStatefulSet("m"), 0, "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.");

        await().untilAsserted(() -> {
            assertThat(models.phase("m")).isEqualTo(Phase.SCHEDULING.value()); // no status yet is a reason to wait, not an error
            assertThat(condition(models.get("m"), "Scheduled").getMessage()).contains("3 Insufficient nvidia.com/gpu");
        });
        assertThat(client.v1().events().inNamespace("llm").list().getItems())
                .anySatisfy(e -> assertThat(e.getMessage()).contains("Insufficient nvidia.com/gpu"));
    }

    @Test
    void invalidSpecFailsWithTheFieldAndLeavesObjectsAlone() {
        client.resource(sample("m", "qwen3:30b", "")).create();
        StatefulSet before = models.awaitStatefulSet("m");

        Edits.edit(client.resources(LocalModel.class).inNamespace("llm").withName("m"), lm -> {
            lm.getSpec().setReplicas(-1);
            lm.getSpec().getGpu().setVendor("intel");
            return lm;
        });

        await().untilAsserted(() -> {
            LocalModel lm = models.get("m");
            assertThat(lm.getStatus().getPhase()).isEqualTo(Phase.FAILED.value());
            assertThat(condition(lm, "SpecValid").getMessage())
                    .contains("spec.replicas: -1 is outside 0..64").contains("spec.gpu.vendor: 'intel'");
        });
        StatefulSet after = client.apps().statefulSets().inNamespace("llm").withName("m").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    }

    @Test
    void aServiceOfTheSameNameThatIsNotOursIsLeftAlone() {
        client.resource(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withName("m")
                .withNamespace("llm").endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();

        client.resource(sample("m", "qwen3:30b", "")).create();

        await().until(() -> models.phase("m"), Phase.FAILED.value()::equals);
        assertThat(condition(models.get("m"), "SpecValid").getMessage()).contains("a Service named m already exists");
        assertThat(client.services().inNamespace("llm").withName("m").get().getSpec().getPorts().get(0).getPort()).isEqualTo(80);
    }

    @Test
    void externalServerGetsTheModelPulledAndNoWorkload() {
        String url = world.ollamaUrl().replaceAll("/$", "");
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: ext, namespace: llm}
                spec:
                  model: llama3.2:3b
                  external: {url: '%s'}
                """.formatted(url), LocalModel.class)).create();

        PullStream pull = ollama.awaitPull(0);
        assertThat(pull.requestBody()).contains("llama3.2:3b");
        pull.manifest().layer(DIGEST, 10, 5);
        await().untilAsserted(() -> {
            LocalModel lm = models.get("ext");
            assertThat(lm.getStatus().getEndpoint()).isEqualTo(url);
            assertThat(lm.getStatus().getPhase()).isEqualTo(Phase.PULLING.value());
        });
        assertThat(client.apps().statefulSets().inNamespace("llm").list().getItems()).isEmpty();
    }

    @Test
    void anExternalServerThatIsDownIsPendingAndSaysSo() throws IOException {
        MockWebServer gone = new MockWebServer();
        gone.start();
        String url = gone.url("/").toString().replaceAll("/$", "");
        gone.close();
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: ext, namespace: llm}
                spec: {model: 'llama3.2:3b', external: {url: '%s'}}
                """.formatted(url), LocalModel.class)).create();

        await().until(() -> models.phase("ext"), Phase.PENDING.value()::equals);
        LocalModel lm = models.get("ext");
        assertThat(lm.getStatus().getReady()).isEqualTo("0/1");
        assertThat(condition(lm, "Ready").getReason()).isEqualTo("ServerUnreachable");
        assertThat(condition(lm, "Ready").getMessage()).contains(url);
    }

    LocalModel sample(String name, String model, String extra) {
        return client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: %s, namespace: llm}
                spec:
                  model: '%s'
                  gpu: {count: 1, vendor: nvidia, product: NVIDIA-A100-SXM4-80GB, runtimeClassName: nvidia}
                  storage: {size: 50Gi}
                %s""".formatted(name, model, extra), LocalModel.class);
    }
}
