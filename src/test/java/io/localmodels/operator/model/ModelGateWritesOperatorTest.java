package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorHarness;
import io.localmodels.operator.testing.OperatorWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a clean bring-up costs the pod, through the real operator: its model gate is written once, when it opens
 * (the not-ready steps on the way were shorter than the status period). When a step lasts longer, see
 * {@link ModelReadyGateHoldTest}.
 */
class ModelGateWritesOperatorTest {

    static final String GATE_WRITE = "PATCH /api/v1/namespaces/llm/pods/m-0/status";

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(Duration.ofMinutes(1)));

    @Test
    void aCleanBringUpWritesThePodsGateOnceWhenItOpens() {
        KubernetesClient client = world.client();
        ModelsInCluster models = world.models();
        world.ollama().addModel("qwen3:30b", "e".repeat(64), 1000);
        OperatorHarness harness = world.start();
        world.serve("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: m, namespace: llm}
                spec:
                  model: 'qwen3:30b'
                  probe: {interval: 1h}
                """);

        await().atMost(Duration.ofSeconds(20)).until(() -> models.phase("m"), Phase.READY.value()::equals);
        await().atMost(Duration.ofSeconds(10)).until(() -> world.kubelet().ready("llm", "m-0"));
        Pod pod = client.pods().inNamespace("llm").withName("m-0").get();
        assertThat(pod.getStatus().getConditions()).filteredOn(c -> ModelReadyGate.CONDITION.equals(c.getType()))
                .singleElement().satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getReason()).isEqualTo("ProbesSucceeding");
                });
        // the kubelet double writes pod status with PUT; the operator's gate is its only PATCH of it
        assertThat(harness.drainRequests()).filteredOn(GATE_WRITE::equals).hasSize(1);
    }
}
