package io.localmodels.operator.runtime;

import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.health.HealthMonitor;
import io.localmodels.operator.testing.FakeModel;
import io.localmodels.operator.testing.OperatorWorld;
import io.localmodels.operator.testing.SlotHold;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@link LocalModelsOperator#close()} leaves behind while a probe is in flight (a model whose one slot a user
 * holds, a probe timeout of minutes): none of the threads the operator started, and nothing that keeps the closed
 * operator's health monitor, and through it every model's state, reachable. A call left running would hold both
 * until its timeout: the thread on the socket, and through the call's callback the whole monitor.
 */
class OperatorCloseTest {

    static final String MODEL = "qwen3:0.6b";
    /** The names the operator gives its threads; okhttp names a thread after the call it runs. */
    static final List<String> OPERATOR_THREADS = List.of("health-probe-scheduler", "traffic-reader", "model-pull-",
            "model-check-", "pull-progress-notices", "localmodel-monitor-events", "localmodels-http", "ollama-load-",
            "OkHttp http");

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults());

    @Test
    void aClosedOperatorEndsTheThreadsItStartedWhileAProbeIsInFlight() {
        Set<Long> before = threadIds();
        try (SlotHold user = probeInFlight()) {
            world.stop();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet()
                    .stream().filter(t -> !before.contains(t.getId()) && isOperators(t)).map(Thread::getName))
                    .as("threads of the closed operator").isEmpty());
        }
    }

    @Test
    void aClosedOperatorsHealthMonitorBecomesUnreachableWhileAProbeIsInFlight() {
        try (SlotHold user = probeInFlight()) {
            WeakReference<HealthMonitor> monitor = new WeakReference<>(world.harness().operator().health());
            world.stop();

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                System.gc();
                return monitor.get() == null;
            });
        }
    }

    /**
     * The operator runs and probes a model whose one slot a user's request holds: the probe waits for it, and would
     * for its whole 5-minute timeout.
     */
    private SlotHold probeInFlight() {
        world.ollama().addModel(MODEL, "a".repeat(64), 1L << 30);
        FakeModel model = world.ollama().model(MODEL);
        SlotHold user = world.ollama().holdSlot(MODEL);
        world.start();
        world.serve("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: m, namespace: llm}
                spec:
                  model: 'qwen3:0.6b'
                  probe: {interval: 1h, timeout: 5m}
                """);
        await().atMost(Duration.ofSeconds(30)).until(() -> model.waitingForSlot() == 1);
        return user;
    }

    private static Set<Long> threadIds() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
    }

    private static boolean isOperators(Thread thread) {
        return thread.isAlive() && OPERATOR_THREADS.stream().anyMatch(thread.getName()::startsWith);
    }
}
