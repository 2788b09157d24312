package io.localmodels.operator.model;

import static io.localmodels.operator.testing.StatusConditions.condition;
import io.localmodels.operator.api.Phase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.OperatorHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorWorld;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Probe-driven status through the real operator: health in status, at most one write per status period while
 * nothing changes state, circuit transitions written at once, with an Event.
 */
class HealthStatusOperatorTest {

    static final Duration STATUS_PERIOD = Duration.ofSeconds(10);

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
    }

    @Test
    void healthIsCoalescedAndCircuitTransitionsAreWrittenAtOnce() throws IOException {
        ollama.addModel("qwen3:30b", "c".repeat(64), 1000);
        harness = world.start();
        world.serve("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: m, namespace: llm}
                spec:
                  model: 'qwen3:30b'
                  probe: {interval: 100ms, window: 10}
                  circuitBreaker: {minimumProbes: 4, failureRateThreshold: 50, openDuration: 1s, halfOpenProbes: 2}
                """);
        await().atMost(Duration.ofSeconds(15)).until(() -> models.phase("m"), Phase.READY.value()::equals);
        assertThat(models.get("m").getStatus().getHealth().getProbes()).isPositive();
        String scrape = harness.registry.scrape();
        assertThat(scrape).contains("localmodels_probe_duration_seconds_bucket{", "localmodels_probe_total{",
                        "localmodels_model_success_rate{", "localmodels_model_circuit_state{", "localmodels_pull_progress_percent{",
                        "localmodels_model_latency_p50_seconds{", "localmodels_model_latency_p95_seconds{")
                .contains("name=\"m\"", "namespace=\"llm\"", "model=\"qwen3:30b\"", "result=\"Success\"")
                .containsPattern("operator_sdk_reconciliations\\w*\\{");
        // a healthy one-replica model costs /metrics at most 8 series (docs/observability.md lists them)
        assertThat(scrape.lines().filter(l -> l.startsWith("localmodels_") && l.contains("name=\"m\"")))
                .hasSizeLessThanOrEqualTo(8);

        // steady state (once what Ollama says of the loaded model is in status): probes every 100 ms, yet at most
        // one status write per period
        await().atMost(Duration.ofSeconds(10)).until(() -> models.get("m").getStatus().getModel().getVramBytes() != null);
        harness.drainRequests();
        long chatsBefore = ollama.chats();
        AtomicInteger statusWrites = new AtomicInteger();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> {
            statusWrites.addAndGet((int) harness.drainRequests().stream().filter(r -> r.endsWith("/m/status")).count());
            return statusWrites.get() <= 1;
        });
        assertThat(ollama.chats() - chatsBefore).as("probes kept running").isGreaterThan(10);

        // the model starts failing: the circuit opens and that is written well inside the period
        ollama.mode(FakeOllama.Mode.FAIL);
        await().atMost(STATUS_PERIOD.dividedBy(2)).until(() -> models.phase("m"), Phase.UNAVAILABLE.value()::equals);
        LocalModel failing = models.get("m");
        assertThat(failing.getStatus().getHealth().getCircuit()).isEqualTo("Open");
        assertThat(failing.getStatus().getHealth().getLastResult()).isEqualTo("HttpError");
        assertThat(failing.getStatus().getHealth().getLastError()).contains("llama runner process has terminated");
        assertThat(condition(failing, "Healthy").getStatus()).isEqualTo("False");
        await().untilAsserted(() -> assertThat(client.v1().events().inNamespace("llm").list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("CircuitOpened")));

        // it recovers: after openDuration trial probes close the circuit again
        ollama.mode(FakeOllama.Mode.ANSWER);
        await().atMost(STATUS_PERIOD.dividedBy(2)).until(() -> models.phase("m"), Phase.READY.value()::equals);
        assertThat(models.get("m").getStatus().getHealth().getCircuit()).isEqualTo("Closed");
    }
}
