package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.kube.LegacyFinalizer;
import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.Kubelet;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorHarness;
import io.localmodels.operator.testing.OperatorWorld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A model's way up and out, as the API server sees it: what is written, which Events, and no finalizer. */
class BringUpOperatorTest {

    static final String DIGEST = "b".repeat(64);
    static final String MODELS = "/apis/localmodels.io/v1alpha1/namespaces/llm/localmodels/";

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(Duration.ofMillis(500)));
    KubernetesClient client;
    ModelsInCluster models;
    FakeOllama ollama;
    Kubelet kubelet;

    @BeforeEach
    void setUp() {
        client = world.client();
        models = world.models();
        ollama = world.ollama();
        kubelet = world.kubelet();
    }

    @Test
    void aCleanBringUpIsToldInOneEventAndWritesNoFinalizer() {
        OperatorHarness harness = world.start();
        ollama.addModel("qwen3:30b", DIGEST, 1000);
        harness.drainRequests();
        client.resource(sample("m")).create();
        kubelet.readyPod(models.awaitStatefulSet("m"), 0);

        await().atMost(Duration.ofSeconds(20)).until(() -> models.phase("m"), Phase.READY.value()::equals);
        await().atMost(Duration.ofSeconds(5)).until(() -> !models.events("m").isEmpty());

        List<Event> events = models.events("m");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getReason()).isEqualTo(Phase.READY.value());
            // how long it took, and the steps on the way with the load among them
            assertThat(e.getMessage()).matches("Ready after \\d+ s: .*Loading \\d+ s.*")
                    .contains("qwen3:30b on m-0 loaded in ");
        });
        assertThat(models.get("m").getMetadata().getFinalizers()).isEmpty();
        List<String> writes = OperatorHarness.writes(harness.drainRequests());
        assertThat(writes).as("no finalizer patch, no update of the LocalModel itself")
                .noneMatch(w -> w.startsWith("PATCH " + MODELS + "m") || w.startsWith("PUT " + MODELS + "m?")
                        || w.equals("PUT " + MODELS + "m"));
        assertThat(writes).filteredOn(w -> w.startsWith("POST /apis/apps/v1/namespaces/llm/statefulsets")).hasSize(1);
        assertThat(writes).filteredOn(w -> w.startsWith("POST /api/v1/namespaces/llm/services")).hasSize(1);
        assertThat(writes).filteredOn(w -> w.startsWith("POST /api/v1/namespaces/llm/events")).hasSize(1);
    }

    @Test
    void theFinalizerOfAnEarlierVersionIsRemovedOnceFromLiveAndDeletingObjects() {
        // as the previous version left them: both with its finalizer, one deleted while no operator ran
        String old = LegacyFinalizer.of(LocalModel.class);
        assertThat(old).isEqualTo("localmodels.localmodels.io/finalizer");
        for (String name : List.of("kept", "deleted")) {
            LocalModel lm = sample(name);
            lm.getMetadata().setFinalizers(List.of(old));
            client.resource(lm).create();
        }
        client.resources(LocalModel.class).inNamespace("llm").withName("deleted").delete();
        assertThat(models.get("deleted").getMetadata().getDeletionTimestamp()).as("held by the finalizer").isNotNull();

        OperatorHarness harness = world.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> models.get("deleted") == null);
        await().atMost(Duration.ofSeconds(20)).until(() -> models.get("kept").getMetadata().getFinalizers().isEmpty());
        await().atMost(Duration.ofSeconds(20)).until(() -> models.phase("kept") != null);
        assertThat(harness.drainRequests()).filteredOn(r -> r.startsWith("PATCH " + MODELS + "kept")).hasSize(1);
        assertThat(client.apps().statefulSets().inNamespace("llm").withName("deleted").get())
                .as("nothing made for a model on its way out").isNull();
    }

    @Test
    void deletingAModelStopsItsProbesAndDropsWhatTheOperatorHeldForIt() {
        OperatorHarness harness = world.start();
        ollama.addModel("qwen3:30b", DIGEST, 1000);
        client.resource(sample("m")).create();
        kubelet.readyPod(models.awaitStatefulSet("m"), 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> models.phase("m"), Phase.READY.value()::equals);
        var monitor = harness.operator().health();
        ResourceID id = new ResourceID("m", "llm");
        assertThat(monitor.debugView()).anyMatch(v -> v.name().equals("m"));

        client.resources(LocalModel.class).inNamespace("llm").withName("m").delete();

        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.debugView().isEmpty());
        assertThat(monitor.published(id)).isEmpty();
        long chats = ollama.chats();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> ollama.chats() == chats);
    }

    @Test
    void theControllersCachesKeepNoManagedFields() {
        // as a real API server stores them: its field bookkeeping on every object (the mock server adds none)
        var managed = new io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder().withManager("kubectl")
                .withOperation("Update").withApiVersion("localmodels.io/v1alpha1").withFieldsType("FieldsV1")
                .withNewFieldsV1().addToAdditionalProperties("f:spec", java.util.Map.of("f:model", java.util.Map.of()))
                .endFieldsV1().build();
        LocalModel lm = sample("m");
        lm.getMetadata().setManagedFields(List.of(managed));
        client.resource(lm).create();
        var router = client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: ModelRouter
                metadata: {name: r, namespace: llm}
                spec:
                  models:
                    - name: chat
                      backends: [{localModel: m}]
                """, io.localmodels.operator.api.ModelRouter.class);
        router.getMetadata().setManagedFields(List.of(managed));
        client.resource(router).create();
        assertThat(models.get("m").getMetadata().getManagedFields()).as("the mock keeps them").isNotEmpty();

        OperatorHarness harness = world.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> harness.operator().cached().size() == 2);
        assertThat(harness.operator().cached()).allSatisfy(cached ->
                assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty());
    }

    LocalModel sample(String name) {
        return client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: %s, namespace: llm}
                spec:
                  model: 'qwen3:30b'
                  gpu: {count: 1, vendor: nvidia}
                  probe: {interval: 200ms}
                """.formatted(name), LocalModel.class);
    }
}
