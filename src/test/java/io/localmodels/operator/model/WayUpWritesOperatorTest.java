package io.localmodels.operator.model;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.LoadEvent;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorHarness;
import io.localmodels.operator.testing.OperatorWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status writes of a bring-up whose load is longer than the second of coalescing and shorter than the
 * pull-progress period (5 s by default): the Loading step is not written on its own.
 */
class WayUpWritesOperatorTest {

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults()).withFaithfulLoads();

    @Test
    void aModelThatLoadsWithinTheProgressPeriodGoesFromItsFirstStatusToReadyInTwoWrites() {
        KubernetesClient client = world.client();
        ModelsInCluster models = world.models();
        FakeOllama ollama = world.ollama();
        ollama.addModel("qwen3:30b", BringUpOperatorTest.DIGEST, 1000);
        ollama.model("qwen3:30b").loadTime(Duration.ofMillis(2500));
        OperatorHarness harness = world.start();
        harness.drainRequests();
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: m, namespace: llm}
                spec:
                  model: 'qwen3:30b'
                  probe: {interval: 1h}
                """, LocalModel.class)).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> models.phase("m") != null);
        world.kubelet().readyPod(models.awaitStatefulSet("m"), 0);

        await().atMost(Duration.ofSeconds(20)).until(() -> models.phase("m"), Phase.READY.value()::equals);
        assertThat(ollama.loads("qwen3:30b", LoadEvent.Kind.COMPLETED)).as("the load lasted 2.5 s").hasSize(1);
        assertThat(OperatorHarness.writes(harness.drainRequests()))
                .filteredOn(w -> w.startsWith("PUT " + BringUpOperatorTest.MODELS + "m/status"))
                .as("the first status (Pending) and Ready with health; Loading lasted less than the progress period")
                .hasSize(2);
    }
}
