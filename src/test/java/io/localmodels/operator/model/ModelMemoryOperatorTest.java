package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.LoadEvent;
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
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(Duration.ofSeconds(1)))
            .withFaithfulLoads();
    KubernetesClient client;
    FakeOllama ollama;

    @BeforeEach
    void start() {
        client = world.client();
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
        world.kubelet().readyPod(await().until(
                () -> client.apps().statefulSets().inNamespace("llm").withName("m").get(), s -> s != null), 0);
    }

    @Test
    void aLoadLongerThanTheProbeTimeoutFinishesAndTheModelBecomesReady() {
        ollama.model("qwen3:30b").loadTime(Duration.ofMillis(1500));
        world.start();
        create("""
                model: 'qwen3:30b'
                probe: {interval: 200ms, timeout: 300ms, loadTimeout: 1m}
                """);

        await().atMost(Duration.ofSeconds(10)).until(() -> get().getStatus() != null && get().getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("ModelLoaded") && c.getReason().equals("Loading")));
        LocalModel loading = get();
        assertThat(loading.getStatus().getPhase()).isEqualTo(Phase.LOADING.value());
        assertThat(condition(loading, "Ready").getReason()).isEqualTo("LoadingModel");
        assertThat(condition(loading, "ModelLoaded").getMessage()).startsWith("loading the model into memory since ");

        await().atMost(Duration.ofSeconds(15)).until(() -> phase(), Phase.READY.value()::equals);
        assertThat(ollama.loads("qwen3:30b", LoadEvent.Kind.ABORTED)).as("loads aborted by a client giving up").isEmpty();
        assertThat(ollama.loads("qwen3:30b", LoadEvent.Kind.COMPLETED)).hasSize(1);
        LocalModel ready = get();
        assertThat(ready.getStatus().getModel().getLastLoadSeconds()).isGreaterThanOrEqualTo(1.5);
        assertThat(condition(ready, "ModelLoaded").getStatus()).isEqualTo("True");
        assertThat(ready.getStatus().getHealth().getConsecutiveFailures()).as("the load was no failed probe").isZero();
        await().untilAsserted(() -> assertThat(events()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("ModelLoaded");
            assertThat(e.getMessage()).startsWith("qwen3:30b on m-0 loaded in ");
        }));
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
        await().atMost(Duration.ofSeconds(10)).until(() -> phase(), Phase.READY.value()::equals);

        try (SlotHold user = ollama.holdSlot("qwen3:30b")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> "Busy".equals(get().getStatus().getHealth().getLastResult()));
            LocalModel busy = get();
            assertThat(busy.getStatus().getPhase()).isEqualTo(Phase.READY.value());
            assertThat(busy.getStatus().getHealth().getCircuit()).isEqualTo("Closed");
            assertThat(busy.getStatus().getHealth().getLastError()).contains("slots are taken");

            // no success for longer than busyGrace: from then on it is a timeout, and the circuit opens
            await().atMost(Duration.ofSeconds(10)).until(() -> "Open".equals(get().getStatus().getHealth().getCircuit()));
            assertThat(get().getStatus().getHealth().getLastError()).contains("busy for", "spec.probe.busyGrace 3s");
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

        await().atMost(Duration.ofSeconds(15)).until(() -> phase(), Phase.READY.value()::equals);
        assertThat(ollama.embeds()).isPositive();
        assertThat(ollama.chats()).as("chat calls to an embedding model").isZero();
        assertThat(get().getStatus().getHealth().getLastResult()).isEqualTo("Success");
        assertThat(get().getStatus().getHealth().getTokensPerSecond()).isNull();
    }

    @Test
    void aModelUnloadedBehindOurBackIsCountedLoadedAgainAndReported() {
        ollama.preload("qwen3:30b");
        world.start();
        create("""
                model: 'qwen3:30b'
                probe: {interval: 200ms}
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> phase(), Phase.READY.value()::equals);

        ollama.unload("qwen3:30b"); // evicted, or its keep-alive ran out
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(1).equals(get().getStatus().getModel().getReloads()));
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

        await().atMost(Duration.ofSeconds(15)).until(() -> get().getStatus() != null
                && get().getStatus().getModel() != null && Integer.valueOf(60).equals(get().getStatus().getModel().getVramPercent()));
        var offload = condition(get(), "FullyOnGpu");
        assertThat(offload.getStatus()).isEqualTo("False");
        assertThat(offload.getReason()).isEqualTo("PartlyOnCpu");
        assertThat(offload.getMessage()).startsWith("40 % of the loaded model runs on the CPU (60 % in VRAM)")
                .contains("spec.ollama.contextLength");
        await().untilAsserted(() -> assertThat(events()).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("PartlyOnCpu")));
    }

    private List<Event> events() {
        return client.v1().events().inNamespace("llm").list().getItems();
    }

    private LocalModel get() {
        return client.resources(LocalModel.class).inNamespace("llm").withName("m").get();
    }

    private String phase() {
        LocalModel lm = get();
        return lm == null || lm.getStatus() == null ? null : lm.getStatus().getPhase();
    }
}
