package io.localmodels.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.ollama.OllamaClient;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * One tracked model: records each probe result into its window, breaker and meters, and decides when its health is
 * published — at once when the circuit or {@code healthy} changes, otherwise at most once per status period, and
 * only when something besides timestamps changed. Mutated on the scheduler thread only; the volatile fields are
 * the ones other threads read (gauges, {@code published()}, the debug view).
 */
final class ModelProbe {

    /** What a target resolves to; equal values mean "nothing to re-schedule". */
    record Resolved(String endpoint, String model, ProbeSettings probe, CircuitSettings circuit) {
    }

    final ResourceID id;
    final Resolved target;
    final OllamaClient client;
    final ModelCircuit circuit;
    private final HealthWindow window;
    private final ProbeMetrics metrics;
    private final Duration statusPeriod;

    volatile boolean cancelled;
    volatile boolean inFlight;
    ScheduledFuture<?> schedule;
    private volatile PublishedHealth published;
    private volatile Instant lastPublishTime;
    private volatile double successRate = Double.NaN;
    private volatile int circuitCode;

    ModelProbe(ResourceID id, Resolved target, OllamaClient client, ModelCircuit circuit, ProbeMetrics metrics,
               Duration statusPeriod) {
        this.id = id;
        this.target = target;
        this.client = client;
        this.window = new HealthWindow(target.probe().window());
        this.circuit = circuit;
        this.metrics = metrics;
        this.statusPeriod = statusPeriod;
    }

    void registerMeters() {
        metrics.registerGauges(() -> successRate, () -> circuitCode);
    }

    void removeMeters() {
        metrics.remove();
    }

    /** The breaker's state changed (possibly mid-record): the gauge follows at once. */
    void circuitChanged() {
        circuitCode = circuit.state().code();
    }

    /** Takes one probe's result; returns true when the health to publish changed. */
    boolean record(ProbeResult result, Instant now) {
        window.record(result, now);
        circuit.record(result);
        metrics.record(result);
        successRate = window.successRate().orElse(Double.NaN);
        return publishIfDue(now);
    }

    /** Applies the publish rule; returns true when {@link #published()} changed. */
    boolean publishIfDue(Instant now) {
        circuitChanged();
        if (window.probes() == 0) {
            return false;
        }
        CircuitState state = circuit.state();
        PublishedHealth previous = published;
        boolean transition = previous == null || previous.circuit() != state
                || previous.healthy() != HealthVerdict.healthy(window, state);
        boolean periodPassed = previous != null
                && !Duration.between(lastPublishTime, now).minus(statusPeriod).isNegative();
        if (!transition && !periodPassed) {
            return false;     // held: cheap, and the common case for 1000 models between status periods
        }
        PublishedHealth next = HealthVerdict.of(window, state);
        if (!transition && HealthVerdict.sameMaterial(previous, next)) {
            return false;
        }
        published = next;
        lastPublishTime = now;
        return true;
    }

    /** The last published health; null before the first probe finished. */
    PublishedHealth published() {
        return published;
    }

    Instant lastPublishTime() {
        return lastPublishTime;
    }
}
