package io.localmodels.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.CircuitBreakerSpec;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.ProbeSpec;
import io.localmodels.operator.config.Durations;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.ollama.OllamaClient;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Probes every tracked model on its interval, keeps its rolling statistics and circuit breaker, and publishes its
 * health coalesced: at once when the circuit or {@code healthy} changes, otherwise at most once per status period.
 *
 * <p>Threading: one scheduler thread owns all per-model state; probes run asynchronously on okhttp's dispatcher and
 * hand their result back to the scheduler thread. At most {@code config.probeConcurrency()} probes are in flight
 * over all models (the okhttp client's dispatcher should allow at least as many requests); a model whose tick
 * finds no free slot, or whose previous probe is still running, waits for its next tick. {@link #track} and
 * {@link #untrack} never block. The {@code onPublish} and circuit listeners are called on the scheduler thread
 * and must not block.
 */
public final class HealthMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    /** Where and how to probe one model; the specs may be null (all defaults). */
    public record ProbeTarget(String endpoint, String model, ProbeSpec probe, CircuitBreakerSpec circuitBreaker) {
    }

    /**
     * What the Healthy condition and {@code status.health} should say.
     *
     * @param health  fully filled {@code status.health} (a fresh object per publish: callers may keep it)
     * @param circuit Closed, Open or HalfOpen
     * @param reason  condition reason: ProbesSucceeding, ThinkingBudgetExhausted, ProbesFailing, CircuitOpen, CircuitHalfOpen
     */
    public record PublishedHealth(HealthStatus health, String circuit, boolean healthy, String reason, String message) {
    }

    private final OperatorConfig config;
    private final Clock clock;
    private final OkHttpClient http;
    private final MeterRegistry registry;
    private final Consumer<ResourceID> onPublish;
    private final ProbeRunner runner = new ProbeRunner();
    private final Semaphore slots;
    private final ScheduledExecutorService scheduler;
    private final Map<ResourceID, ModelProbe> models = new ConcurrentHashMap<>();
    private volatile BiConsumer<ResourceID, String> circuitListener = (id, text) -> { };

    public HealthMonitor(OperatorConfig config, OkHttpClient http, MeterRegistry registry,
                         Consumer<ResourceID> onPublish) {
        if (config.probeConcurrency() < 1) {
            throw new IllegalArgumentException("probeConcurrency must be at least 1, got " + config.probeConcurrency());
        }
        this.config = config;
        this.clock = config.clock();
        this.http = http;
        this.registry = registry;
        this.onPublish = onPublish;
        this.slots = new Semaphore(config.probeConcurrency());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "health-probe-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    /** Receives "Closed→Open"-style texts on every circuit transition (the reconciler records an Event). */
    public void setCircuitListener(BiConsumer<ResourceID, String> listener) {
        this.circuitListener = Objects.requireNonNull(listener);
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
            runOnScheduler(() -> {
                if (old != null) {
                    retire(old);
                }
                start(fresh);
            });
            return fresh;
        });
    }

    /** Stops probing {@code id} and removes its metrics. */
    public void untrack(ResourceID id) {
        ModelProbe probe = models.remove(id);
        if (probe != null) {
            probe.cancelled = true;
            runOnScheduler(() -> retire(probe));
        }
    }

    /** The last published health of {@code id}; empty before its first probe finished. */
    public Optional<PublishedHealth> published(ResourceID id) {
        ModelProbe probe = models.get(id);
        return probe == null ? Optional.empty() : Optional.ofNullable(probe.published);
    }

    /** Every tracked model as the monitor sees it now, sorted by namespace and name. */
    public List<ModelHealthView> debugView() {
        return models.values().stream()
                .sorted(Comparator.comparing((ModelProbe p) -> p.id.getNamespace().orElse(""))
                        .thenComparing(p -> p.id.getName()))
                .map(this::view)
                .toList();
    }

    @Override
    public void close() {
        models.values().forEach(p -> p.cancelled = true);
        scheduler.shutdownNow();
    }

    private ModelProbe.Resolved resolve(ProbeTarget target) {
        if (target.model() == null || target.model().isBlank()) {
            throw new IllegalArgumentException("spec.model: must not be empty");
        }
        if (target.endpoint() == null || okhttp3.HttpUrl.parse(target.endpoint()) == null) {
            throw new IllegalArgumentException("endpoint: not an http(s) URL: " + target.endpoint());
        }
        return new ModelProbe.Resolved(target.endpoint(), target.model(), ProbeSettings.from(target.probe()),
                CircuitSettings.from(target.circuitBreaker()));
    }

    private ModelProbe newProbe(ResourceID id, ModelProbe.Resolved target) {
        String name = id.getNamespace().orElse("") + "/" + id.getName();
        ModelCircuit circuit = new ModelCircuit(name, target.circuit(), target.probe().window(), clock,
                (from, to) -> onTransition(id, target.model(), from, to));
        return new ModelProbe(id, target, new OllamaClient(http, target.endpoint()), circuit,
                new ProbeMetrics(registry, id, target.model()));
    }

    private void start(ModelProbe probe) {
        if (probe.cancelled) {
            return;
        }
        probe.metrics.registerGauges(() -> probe.successRate, () -> probe.circuitCode);
        long interval = probe.target.probe().interval().toMillis();
        // a random first offset spreads 1000 models over the interval instead of firing them together
        long offset = ThreadLocalRandom.current().nextLong(interval);
        probe.schedule = scheduler.scheduleAtFixedRate(() -> tick(probe), offset, interval, TimeUnit.MILLISECONDS);
    }

    private void retire(ModelProbe probe) {
        if (probe.schedule != null) {
            probe.schedule.cancel(false);
        }
        probe.metrics.remove();
    }

    /** A scheduled probe time of one model (scheduler thread). */
    private void tick(ModelProbe probe) {
        try {
            if (probe.cancelled || probe.inFlight || !slots.tryAcquire()) {
                return;
            }
            if (!probe.circuit.tryAcquire()) {
                slots.release();
                return;
            }
            // asking for permission may have turned Open into HalfOpen: say so before the trial probe runs
            consider(probe);
            probe.inFlight = true;
            runner.probe(probe.client, probe.target.model(), probe.target.probe()).whenComplete((result, error) -> {
                slots.release();
                ProbeResult r = result != null ? result : ProbeClassifier.classify(error, Duration.ZERO);
                runOnScheduler(() -> finish(probe, r));
            });
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again: keep the model's schedule alive
            LOG.error("probe tick failed for {}", probe.id, e);
        }
    }

    /** A probe's result arrives (scheduler thread). */
    private void finish(ModelProbe probe, ProbeResult result) {
        probe.inFlight = false;
        if (probe.cancelled) {
            return;
        }
        probe.window.record(result, clock.instant());
        probe.circuit.record(result);
        probe.metrics.record(result);
        probe.successRate = probe.window.successRate().orElse(Double.NaN);
        if (result.isFailure() && LOG.isDebugEnabled()) {
            withModelContext(probe.id, probe.target.model(),
                    () -> LOG.debug("probe {}: {}", result.outcome(), result.error()));
        }
        consider(probe);
    }

    /** Publishes when the coalescing rule says so (scheduler thread). */
    private void consider(ModelProbe probe) {
        probe.circuitCode = probe.circuit.stateCode();
        if (probe.window.probes() == 0) {
            return;
        }
        String circuit = probe.circuit.state();
        PublishedHealth previous = probe.published;
        Instant now = clock.instant();
        boolean transition = previous == null || !previous.circuit().equals(circuit)
                || previous.healthy() != HealthVerdict.healthy(probe.window, circuit);
        boolean periodPassed = previous != null
                && !Duration.between(probe.lastPublishTime, now).minus(config.statusPeriod()).isNegative();
        if (!transition && !periodPassed) {
            return;     // held: cheap, and the common case for 1000 models between status periods
        }
        PublishedHealth next = HealthVerdict.of(probe.window, circuit);
        if (transition || !HealthVerdict.sameMaterial(previous, next)) {
            probe.published = next;
            probe.lastPublishTime = now;
            onPublish.accept(probe.id);
        }
    }

    private void onTransition(ResourceID id, String model, String from, String to) {
        String text = from + "→" + to;
        withModelContext(id, model, () -> LOG.info("circuit {}", text));
        ModelProbe probe = models.get(id);
        if (probe != null) {
            probe.circuitCode = probe.circuit.stateCode();
        }
        circuitListener.accept(id, text);
    }

    private ModelHealthView view(ModelProbe probe) {
        PublishedHealth p = probe.published;
        ModelProbe.Resolved t = probe.target;
        String think = ThinkChoice.explicit(t.probe().think()).map(String::valueOf)
                .or(() -> runner.cachedThink(probe.client.baseUrl(), t.model()))
                .orElse("?");
        Instant at = probe.lastPublishTime;
        return new ModelHealthView(probe.id.getNamespace().orElse(""), probe.id.getName(), t.endpoint(), t.model(),
                Durations.format(t.probe().interval()), think, probe.inFlight, p != null, probe.circuit.state(),
                p != null && p.healthy(), p == null ? "NoProbeYet" : p.reason(), p == null ? "" : p.message(),
                at == null ? null : at.truncatedTo(ChronoUnit.SECONDS).toString(), p == null ? null : p.health());
    }

    private void runOnScheduler(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: nothing more to do
        }
    }

    private static void withModelContext(ResourceID id, String model, Runnable log) {
        try (var ns = MDC.putCloseable("namespace", id.getNamespace().orElse(""));
             var name = MDC.putCloseable("name", id.getName());
             var m = MDC.putCloseable("model", model)) {
            log.run();
        }
    }
}
