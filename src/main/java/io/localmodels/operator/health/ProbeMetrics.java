package io.localmodels.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The meters of one replica, {@code localmodels_probe_total} and {@code localmodels_probe_gpu_seconds} tagged
 * namespace, name, model, replica (and result), or of one model over its replicas (replica null): gauges
 * {@code localmodels_model_success_rate}, {@code localmodels_model_circuit_state} (0 closed, 1 half-open, 2 open) and
 * {@code localmodels_model_latency_p50_seconds}/{@code _p95_seconds} (the window's, as in status), tagged namespace,
 * name, model, and {@code localmodels_model_vram_share}; loads count in {@code localmodels_model_load_events_total}
 * tagged namespace and reason only. Probe wall times go to one fleet-wide histogram {@code localmodels_probe_duration_seconds} tagged
 * result only: eleven buckets per model and result would make {@code /metrics} grow by dozens of series per model.
 * {@link #remove()} takes the model's or replica's meters away; the fleet histogram stays.
 */
final class ProbeMetrics {

    static final String DURATION = "localmodels.probe.duration";
    static final String PROBES = "localmodels.probe";
    static final String SUCCESS_RATE = "localmodels.model.success.rate";
    static final String CIRCUIT_STATE = "localmodels.model.circuit.state";
    static final String GPU_SECONDS = "localmodels.probe.gpu.seconds";
    static final String VRAM_SHARE = "localmodels.model.vram.share";
    static final String LOAD_EVENTS = "localmodels.model.load.events";
    static final String LATENCY_P50 = "localmodels.model.latency.p50";
    static final String LATENCY_P95 = "localmodels.model.latency.p95";
    static final String SKIPPED = "localmodels.probe.skipped";
    static final String GPU_SECONDS_SAVED = "localmodels.probe.gpu.seconds.saved";

    /** A few fixed buckets instead of a full percentile histogram, for the fleet's distribution. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    /** Looked up once per result: registry look-ups cost more than the probe bookkeeping itself. */
    private final Map<ProbeOutcome, Timer> fleetTimers = new EnumMap<>(ProbeOutcome.class);
    private final Map<ProbeOutcome, Counter> counters = new EnumMap<>(ProbeOutcome.class);
    private final String namespace;
    private final Map<ModelEvent.Kind, Counter> loadEvents = new EnumMap<>(ModelEvent.Kind.class);
    private Counter gpuSeconds;
    private Counter skipped;
    private Counter gpuSaved;
    /** GPU time of the last answered probe: what a skipped one would have cost. */
    private double lastGpuSeconds;

    ProbeMetrics(MeterRegistry registry, ResourceID id, String model, String replica) {
        this.registry = registry;
        this.namespace = id.getNamespace().orElse("");
        Tags modelTags = Tags.of("namespace", id.getNamespace().orElse(""), "name", id.getName(), "model", model);
        this.tags = replica == null ? modelTags : modelTags.and("replica", replica);
    }

    void registerGauges(DoubleSupplier successRate, DoubleSupplier circuitState, DoubleSupplier p50Seconds,
                        DoubleSupplier p95Seconds, DoubleSupplier vramShare) {
        gauge(SUCCESS_RATE, null, successRate, "Fraction of the probes in the window that succeeded");
        gauge(CIRCUIT_STATE, null, circuitState, "Circuit breaker state: 0 closed, 1 half-open, 2 open");
        gauge(LATENCY_P50, "seconds", p50Seconds, "Median probe wall time over the window, in seconds (status.health.latencyP50Ms)");
        gauge(LATENCY_P95, "seconds", p95Seconds, "95th percentile probe wall time over the window, in seconds (status.health.latencyP95Ms)");
        gauge(VRAM_SHARE, null, vramShare,
                "Share of the loaded model in VRAM (0..1, the smallest over the replicas); below 1 part runs on CPU");
    }

    private void gauge(String name, String unit, DoubleSupplier value, String description) {
        meters.add(Gauge.builder(name, value, DoubleSupplier::getAsDouble).tags(tags).strongReference(true).baseUnit(unit)
                .description(description).register(registry));
    }

    void record(ProbeResult result) {
        ProbeOutcome outcome = result.outcome();
        // shared by every model: never in this model's meters, so removing the model leaves it
        Timer timer = fleetTimers.computeIfAbsent(outcome, o -> Timer.builder(DURATION).tags("result", o.name())
                .serviceLevelObjectives(BUCKETS).description("Wall time of inference probes, over the fleet")
                .register(registry));
        Counter counter = counters.computeIfAbsent(outcome, o -> add(Counter.builder(PROBES)
                .tags(tags.and("result", o.name())).description("Inference probes by result").register(registry)));
        timer.record(result.latency());
        counter.increment();
    }

    /** GPU time the probe took on the server (Ollama's total_duration): what probing costs the model's users. */
    void recordGpuTime(ProbeResult result) {
        long nanos = result.timing().total();
        if (nanos <= 0) {
            return;
        }
        if (gpuSeconds == null) {
            gpuSeconds = add(Counter.builder(GPU_SECONDS).tags(tags)
                    .description("Server time of inference probes and their loads (Ollama total_duration)").register(registry));
        }
        gpuSeconds.increment(nanos / 1e9);
        lastGpuSeconds = nanos / 1e9;
    }

    /**
     * A probe not sent because users' requests said the same: {@code localmodels_probe_skipped_total}, and its
     * estimated GPU time (the last answered probe's) in {@code localmodels_probe_gpu_seconds_saved_total}. Registered
     * on the first skip only, so models that are never skipped add no series.
     */
    void recordSkip() {
        if (skipped == null) {
            skipped = add(Counter.builder(SKIPPED).tags(tags)
                    .description("Scheduled probes not sent because the users' requests through a ModelRouter "
                            + "already showed the model's health").register(registry));
            gpuSaved = add(Counter.builder(GPU_SECONDS_SAVED).tags(tags)
                    .description("Estimated server time those probes would have taken (the last answered probe's)")
                    .register(registry));
        }
        skipped.increment();
        gpuSaved.increment(lastGpuSeconds);
    }

    /**
     * A load, failed load or reload: counted per namespace and the Event's reason, not per model (a series per model
     * would break the per-model series budget; the model is in the Event), once one happened. Stays with the fleet.
     */
    void recordLoadEvent(ModelEvent.Kind kind) {
        loadEvents.computeIfAbsent(kind, k -> Counter.builder(LOAD_EVENTS)
                .tags("namespace", namespace, "reason", k.name())
                .description("Model loads by the Event they raised: ModelLoaded, ModelLoadFailed, ModelReloaded")
                .register(registry)).increment();
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    void remove() {
        meters.forEach(registry::remove);
        meters.clear();
        fleetTimers.clear();
        counters.clear();
        loadEvents.clear();
        gpuSeconds = null;
        skipped = null;
        gpuSaved = null;
    }
}
