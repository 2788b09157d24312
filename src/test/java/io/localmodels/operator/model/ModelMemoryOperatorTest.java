package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.status.Conditions;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.LoadEvent;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorWorld;
import io.localmodels.operator.testing.SlotHold;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.localmodels.operator.testing.StatusConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health against a fake Ollama that loads, queues and embeds as 0.12.6 does, through the real operator: a cold load
 * longer than the probe timeout, a model whose only slot users hold, an embedding model, a reload, GPU offload.
 */
class ModelMemoryOperatorTest {

    @RegisterExtension
    // a step on the way up is written once it lasted the pull-progress period: shorter than the 1.5 s load here
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(Duration.ofSeconds(1))
            .withPullProgressPeriod(Duration.ofMillis(500)))
            .withFaithfulLoads();
    KubernetesClient client;
    ModelsInCluster models;
    FakeOllama ollama;

    @BeforeEach
    void start() {
        client = world.client();
        models = world.models();
        ollama = world.ollama();
        ollama.addModel("qwen3:30b", "c".repeat(64), 1000);
    }

    private void create(String spec) {
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: m, namespace: llm}
                spec:
                """ + spec.indent(2), LocalModel.class)).create();
        world.kubelet().readyPod(models.awaitStatefulSet("m"), 0);
    }

    @Test
    void aLoadLongerThanTheProbeTimeoutFinishesAndTheModelBecomesReady() {
        ollama.model("qwen3:30b").loadTime(Duration.ofMillis(1500));
        ollama.contextLength(8192); // what the runner uses once loaded; /api/show says the trained 40960
        world.start();
        create("""
                model: 'qwen3:30b'
                probe: {interval: 200ms, timeout: 300ms, loadTimeout: 1m}
                """);

        await().atMost(Duration.ofSeconds(10)).until(() -> Conditions.find(models.get("m").getStatus().getConditions(), "ModelLoaded")
                .filter(c -> c.getReason().equals("LoadingModel")).isPresent());
        LocalModel loading = models.get("m");
        assertThat(loading.getStatus().getPhase()).isEqualTo(Phase.LOADING.value());
        assertThat(condition(loading, "Ready").getReason()).isEqualTo("LoadingModel");
        assertThat(condition(loading, "ModelLoaded").getMessage()).startsWith("loading the model into memory since ");

        await().atMost(Duration.ofSeconds(15)).until(() -> models.phase("m"), Phase.READY.value()::equals);
        assertThat(ollama.loads("qwen3:30b", LoadEvent.Kind.ABORTED)).as("loads aborted by a client giving up").isEmpty();
        assertThat(ollama.loads("qwen3:30b", LoadEvent.Kind.COMPLETED)).hasSize(1);
        LocalModel ready = models.get("m");
        assertThat(ready.getStatus().getModel().getLastLoadSeconds()).isGreaterThanOrEqualTo(1.5);
        assertThat(condition(ready, "ModelLoaded").getStatus()).isEqualTo("True");
        assertThat(ready.getStatus().getHealth().getConsecutiveFailures()).as("the load was no failed probe").isZero();
        assertThat(ready.getStatus().getHealth().getQueueMs()).as("an idle model's probe waits for no slot").isNotNull()
                .isLessThan(100);
        // the load is a step of the way up: told in the one Event of becoming Ready, not in one of its own
        await().untilAsserted(() -> assertThat(events()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo(Phase.READY.value());
            assertThat(e.getMessage()).contains("(qwen3:30b on m-0 loaded in ");
        }));
        assertThat(events()).noneMatch(e -> e.getReason().equals("ModelLoaded"));
        // the load makes the operator look at the model again at once, not at its 5-minute refresh: routers get
        // the context in use for max_input_tokens without a second rollout later
        await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(8192).equals(models.get("m").getStatus().getModel().getContextLength()));
    }

    @Test
    void aModelWhoseOnlySlotUsersHoldIsBusyNotDownUntilItsGraceRunsOut() {
        ollama.numParallel(1).preload("qwen3:30b");
        world.start();
        create("""
                model: 'qwen3:30b'
                probe: {interval: 200ms, timeout: 300ms, busyGrace: 3s}
                circuitBreaker: {minimumProbes: 2, openDuration: 30s}
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> models.phase("m"), Phase.READY.value()::equals);

        try (SlotHold user = ollama.holdSlot("qwen3:30b")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> "Busy".equals(models.get("m").getStatus().getHealth().getLastResult()));
            LocalModel busy = models.get("m");
            assertThat(busy.getStatus().getPhase()).isEqualTo(Phase.READY.value());
            assertThat(busy.getStatus().getHealth().getCircuit()).isEqualTo("Closed");
            assertThat(busy.getStatus().getHealth().getLastError()).contains("slots are taken");

            // no success for longer than busyGrace: from then on it is a timeout, and the circuit opens
            await().atMost(Duration.ofSeconds(10)).until(() -> "Open".equals(models.get("m").getStatus().getHealth().getCircuit()));
            assertThat(models.get("m").getStatus().getHealth().getLastError()).contains("busy for", "spec.probe.busyGrace 3s");
        }
    }

    @Test
    void anEmbeddingModelIsProbedThroughEmbedAndNeverChat() {
        ollama.addModel("nomic-embed-text", "e".repeat(64), 300);
        ollama.model("nomic-embed-text").capabilities("embedding").family("nomic-bert");
        world.start();
        create("""
                model: 'nomic-embed-text'
                probe: {interval: 200ms}
                """);

        await().atMost(Duration.ofSeconds(15)).until(() -> models.phase("m"), Phase.READY.value()::equals);
        assertThat(ollama.embeds()).isPositive();
        assertThat(ollama.chats()).as("chat calls to an embedding model").isZero();
        assertThat(models.get("m").getStatus().getHealth().getLastResult()).isEqualTo("Success");
        assertThat(models.get("m").getStatus().getHealth().getTokensPerSecond()).isNull();
    }

    @Test
    void aModelUnloadedBehindOurBackIsCountedLoadedAgainAndReported() {
        ollama.preload("qwen3:30b");
        world.start();
        create("""
                model: 'qwen3:30b'
                probe: {interval: 200ms}
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> models.phase("m"), Phase.READY.value()::equals);

        ollama.unload("qwen3:30b"); // evicted, or its keep-alive ran out
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(1).equals(models.get("m").getStatus().getModel().getReloads()));
        assertThat(ollama.loaded("qwen3:30b")).isTrue();
        await().untilAsserted(() -> assertThat(events()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("ModelReloaded");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("was unloaded", "it was out for about");
        }));
    }

    @Test
    void aGpuModelPartlyOnTheCpuSaysHowMuchAndWhatHelps() {
        ollama.model("qwen3:30b").vramShare(0.6);
        world.start();
        create("""
                model: 'qwen3:30b'
                gpu: {count: 1}
                probe: {interval: 200ms}
                """);

        await().atMost(Duration.ofSeconds(15)).until(() -> models.get("m").getStatus() != null
                && models.get("m").getStatus().getModel() != null && Integer.valueOf(60).equals(models.get("m").getStatus().getModel().getVramPercent()));
        var offload = condition(models.get("m"), "FullyOnGpu");
        assertThat(offload.getStatus()).isEqualTo("False");
        assertThat(offload.getReason()).isEqualTo("PartlyOnCpu");
        assertThat(offload.getMessage()).startsWith("40 % of the loaded model runs on the CPU (60 % in VRAM)")
                .contains("spec.ollama.contextLength");
        await().untilAsserted(() -> assertThat(events()).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("PartlyOnCpu")));
    }

    @Test
    void theFirstResultAfterALoadCarriesTheVramShareWithoutWaitingForTheNextProbe() {
        ollama.model("qwen3:30b").vramShare(0.6);
        world.start();
        create("""
                model: 'qwen3:30b'
                gpu: {count: 1}
                probe: {interval: 1h}
                """);

        // one probe cycle only (the next is an hour away): it loaded the model, so it looked at /api/ps again after
        await().atMost(Duration.ofSeconds(15)).until(() -> models.phase("m"), Phase.READY.value()::equals);
        assertThat(models.get("m").getStatus().getModel().getVramPercent()).isEqualTo(60);
        assertThat(ollama.loads("qwen3:30b", LoadEvent.Kind.COMPLETED)).hasSize(1);
    }

    private List<Event> events() {
        return client.v1().events().inNamespace("llm").list().getItems();
    }
}
