package io.localmodels.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.ollama.OllamaClient;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * The probing state of one tracked model. Owned by the monitor's scheduler thread; the volatile fields are the
 * ones other threads read (gauges, {@code published()}, the debug view).
 */
final class ModelProbe {

    /** What a target resolves to; equal values mean "nothing to re-schedule". */
    record Resolved(String endpoint, String model, ProbeSettings probe, CircuitSettings circuit) {
    }

    final ResourceID id;
    final Resolved target;
    final OllamaClient client;
    final HealthWindow window;
    final ModelCircuit circuit;
    final ProbeMetrics metrics;

    volatile boolean cancelled;
    volatile boolean inFlight;
    volatile HealthMonitor.PublishedHealth published;
    volatile Instant lastPublishTime;
    volatile double successRate = Double.NaN;
    volatile int circuitCode;
    ScheduledFuture<?> schedule;

    ModelProbe(ResourceID id, Resolved target, OllamaClient client, ModelCircuit circuit, ProbeMetrics metrics) {
        this.id = id;
        this.target = target;
        this.client = client;
        this.window = new HealthWindow(target.probe().window());
        this.circuit = circuit;
        this.metrics = metrics;
    }
}
