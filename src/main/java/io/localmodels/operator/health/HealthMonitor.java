package io.localmodels.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.ollama.OllamaClient;
import io.localmodels.operator.status.LogContext;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Probes every tracked model and publishes its health: which models are tracked, with what target. When probes run
 * is {@link ProbeSchedule}'s job, what a result changes and when to publish is {@link ModelProbe}'s.
 *
 * <p>At most {@code config.probeConcurrency()} probes are in flight over all models (the okhttp client's dispatcher
 * should allow at least as many requests). {@link #track} and {@link #untrack} never block. The {@code onPublish}
 * and circuit listeners are called on the scheduler thread and must not block.
 */
public final class HealthMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final OperatorConfig config;
    private final OkHttpClient http;
    private final MeterRegistry registry;
    private final ProbeRunner runner = new ProbeRunner();
    private final ProbeSchedule schedule;
    private final Map<ResourceID, ModelProbe> models = new ConcurrentHashMap<>();
    private volatile BiConsumer<ResourceID, CircuitTransition> circuitListener = (id, transition) -> { };
    private volatile BiConsumer<ResourceID, ModelEvent> eventListener = (id, event) -> { };

    public HealthMonitor(OperatorConfig config, OkHttpClient http, MeterRegistry registry,
                         Consumer<ResourceID> onPublish) {
        if (config.probeConcurrency() < 1) {
            throw new IllegalArgumentException("probeConcurrency must be at least 1, got " + config.probeConcurrency());
        }
        this.config = config;
        this.http = http;
        this.registry = registry;
        this.schedule = new ProbeSchedule(config.probeConcurrency(), config.clock(), runner,
                probe -> onPublish.accept(probe.id), (probe, event) -> eventListener.accept(probe.id, event));
    }

    /** Receives every circuit transition (the LocalModel reconciler records an Event). */
    public void setCircuitListener(BiConsumer<ResourceID, CircuitTransition> listener) {
        this.circuitListener = Objects.requireNonNull(listener);
    }

    /** Receives loads, failed loads and reloads (the LocalModel reconciler records an Event); must not block. */
    public void setEventListener(BiConsumer<ResourceID, ModelEvent> listener) {
        this.eventListener = Objects.requireNonNull(listener);
    }

    /** What the probe cycles know of the model's life in memory: loading now, last load, reloads, VRAM share. */
    public Optional<ModelMemory> memory(ResourceID id) {
        ModelProbe probe = models.get(id);
        return probe == null ? Optional.empty() : Optional.of(probe.memory());
    }

    /**
     * Starts probing {@code id}, or re-schedules it when its target changed (statistics start afresh then).
     * The same target again is a no-op.
     *
     * @throws IllegalArgumentException for an invalid probe or circuit spec or endpoint; the message names the field
     */
    public void track(ResourceID id, ProbeTarget target) {
        ModelProbe.Resolved resolved = resolve(target);
        models.compute(id, (key, old) -> {
            if (old != null && old.target.equals(resolved)) {
                return old;
            }
            ModelProbe fresh = newProbe(id, resolved);
            if (old != null) {
                old.cancelled = true;
            }
            // meters are registered and removed on the scheduler thread, in order, so a re-track with equal tags
            // never has its new gauges removed by the old one's clean-up
            schedule.execute(() -> {
                if (old != null) {
                    schedule.retire(old);
                }
                schedule.start(fresh);
            });
            return fresh;
        });
    }

    /** Stops probing {@code id} and removes its metrics. */
    public void untrack(ResourceID id) {
        ModelProbe probe = models.remove(id);
        if (probe != null) {
            probe.cancelled = true;
            schedule.execute(() -> schedule.retire(probe));
        }
    }

    /** The last published health of {@code id}; empty before its first probe finished. */
    public Optional<PublishedHealth> published(ResourceID id) {
        ModelProbe probe = models.get(id);
        return probe == null ? Optional.empty() : Optional.ofNullable(probe.published());
    }

    /** Every tracked model as the monitor sees it now, sorted by namespace and name. */
    public List<ModelHealthView> debugView() {
        return models.values().stream()
                .sorted(Comparator.comparing((ModelProbe p) -> p.id.getNamespace().orElse(""))
                        .thenComparing(p -> p.id.getName()))
                .map(p -> ModelHealthView.of(p, runner))
                .toList();
    }

    @Override
    public void close() {
        models.values().forEach(p -> p.cancelled = true);
        schedule.close();
    }

    private static ModelProbe.Resolved resolve(ProbeTarget target) {
        if (target.model() == null || target.model().isBlank()) {
            throw new IllegalArgumentException("spec.model: must not be empty");
        }
        if (target.endpoint() == null || HttpUrl.parse(target.endpoint()) == null) {
            throw new IllegalArgumentException("endpoint: not an http(s) URL: " + target.endpoint());
        }
        return new ModelProbe.Resolved(target.endpoint(), target.model(), ProbeSettings.from(target.probe()),
                CircuitSettings.from(target.circuitBreaker()), target.keepAlive());
    }

    private ModelProbe newProbe(ResourceID id, ModelProbe.Resolved target) {
        String name = id.getNamespace().orElse("") + "/" + id.getName();
        ModelCircuit circuit = new ModelCircuit(name, target.circuit(), target.probe().window(), config.clock(),
                transition -> onTransition(id, target.model(), transition));
        return new ModelProbe(id, target, new OllamaClient(http, target.endpoint()), circuit,
                new ProbeMetrics(registry, id, target.model()), config.statusPeriod());
    }

    private void onTransition(ResourceID id, String model, CircuitTransition transition) {
        try (var ignored = LogContext.of(id.getNamespace().orElse(""), id.getName(), model)) {
            LOG.info("circuit {}", transition.text());
        }
        ModelProbe probe = models.get(id);
        if (probe != null) {
            probe.circuitChanged();
        }
        circuitListener.accept(id, transition);
    }
}
