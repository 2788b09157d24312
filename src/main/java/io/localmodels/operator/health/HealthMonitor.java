package io.localmodels.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.ollama.OllamaClient;
import io.localmodels.operator.status.LogContext;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.HttpUrl;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probes every replica of every tracked model, each at its own address, and publishes each model's health: which
 * models and replicas are tracked, with what target. When probes run is {@link ProbeSchedule}'s job, what a result
 * changes is {@link ModelProbe}'s (one replica), what the replicas add up to and when to publish {@link ModelHealth}'s.
 *
 * <p>At most {@code config.probeConcurrency()} probes are in flight over all models (the okhttp client's dispatcher
 * should allow at least as many requests), and at most {@code config.loadConcurrency()} model loads, through a
 * dispatcher of their own. {@link #track} and {@link #untrack} never block. The {@code onPublish}
 * and circuit listeners are called on the scheduler thread and must not block.
 */
public final class HealthMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final OperatorConfig config;
    private final OkHttpClient http;
    /** The client model loads go through: {@code http}'s connections, a dispatcher of its own. */
    private final OkHttpClient loadHttp;
    private final MeterRegistry registry;
    private final ProbeRunner runner = new ProbeRunner();
    private final ProbeSchedule schedule;
    private final Map<ResourceID, ModelHealth> models = new ConcurrentHashMap<>();
    private final Consumer<ResourceID> onPublish;
    private volatile BiConsumer<ResourceID, CircuitTransition> circuitListener = (id, transition) -> { };
    private volatile BiConsumer<ResourceID, ModelEvent> eventListener = (id, event) -> { };
    private volatile TrafficSource traffic = TrafficSource.NONE;
    private volatile TrafficJudge judge;

    public HealthMonitor(OperatorConfig config, OkHttpClient http, MeterRegistry registry,
                         Consumer<ResourceID> onPublish) {
        if (config.probeConcurrency() < 1) {
            throw new IllegalArgumentException("probeConcurrency must be at least 1, got " + config.probeConcurrency());
        }
        this.config = config;
        this.http = http;
        this.registry = registry;
        this.onPublish = onPublish;
        this.loadHttp = loadClient(http, config.loadConcurrency());
        this.schedule = new ProbeSchedule(config.probeConcurrency(), config.loadConcurrency(), loadHttp, config.clock(),
                runner, this::replicaChanged,
                (probe, event) -> eventListener.accept(probe.id, event));
    }

    /**
     * Lets the users' requests through the ModelRouters stand in for probes (see {@link TrafficJudge}), and shows
     * them in {@link #published}'s {@code health.traffic}.
     */
    public void setTrafficSource(TrafficSource source) {
        this.traffic = Objects.requireNonNull(source);
        TrafficJudge judge = new TrafficJudge(source, config.statusPeriod().multipliedBy(2), this::replicaChanged);
        this.judge = judge;
        schedule.trafficStandsIn((probe, now) -> judge.standsIn(probe, () -> replicasOf(probe), now));
    }

    /** New traffic figures of {@code id} arrived: a failing reading counts in its circuit now (see {@link TrafficJudge}). */
    public void trafficArrived(ResourceID id) {
        TrafficJudge j = judge;
        ModelHealth health = models.get(id);
        if (j == null || health == null) {
            return;
        }
        schedule.execute(() -> health.replicas().values().stream().filter(p -> !p.cancelled)
                .forEach(p -> j.arrived(p, () -> replicasOf(p), config.clock().instant())));
    }

    private int replicasOf(ModelProbe probe) {
        ModelHealth health = models.get(probe.id);
        return health == null ? 1 : health.replicas().size();
    }

    /** Receives every circuit transition (the LocalModel reconciler records an Event). */
    public void setCircuitListener(BiConsumer<ResourceID, CircuitTransition> listener) {
        this.circuitListener = Objects.requireNonNull(listener);
    }

    /** Receives loads, failed loads and reloads (the LocalModel reconciler records an Event); must not block. */
    public void setEventListener(BiConsumer<ResourceID, ModelEvent> listener) {
        this.eventListener = Objects.requireNonNull(listener);
    }

    /**
     * What the probe cycles know of the model's life in memory over its replicas: loading now, last load, reloads,
     * VRAM share.
     */
    public Optional<ModelMemory> memory(ResourceID id) {
        ModelHealth health = models.get(id);
        return health == null ? Optional.empty() : Optional.of(health.memory());
    }

    /**
     * Starts probing {@code id}'s replicas, or follows a change: replicas that came are started, replicas gone or
     * at a new address retired, and a change of the model's settings starts every replica afresh. The same target
     * again is a no-op.
     *
     * @throws IllegalArgumentException for an invalid probe or circuit spec or endpoint; the message names the field
     */
    public void track(ResourceID id, ProbeTarget target) {
        track(id, target, Optional::empty);
    }

    /**
     * {@link #track(ResourceID, ProbeTarget)}, and when this process starts tracking {@code id} (it just started, or
     * became the leader), {@code inStatus} is what the model's status shows from before: the first results are
     * compared with it by the publish rule rather than written as a first result, so a restart rewrites no status
     * that still tells the truth.
     */
    public void track(ResourceID id, ProbeTarget target, Supplier<Optional<PublishedHealth>> inStatus) {
        Map<String, ModelProbe.Resolved> resolved = resolve(target);
        ModelProbe.Settings settings = resolved.values().iterator().next().settings();
        models.compute(id, (key, old) -> {
            boolean fresh = old == null || !old.settings.equals(settings);
            Map<String, ModelProbe> current = fresh ? Map.of() : old.replicas();
            Map<String, ModelProbe> next = new TreeMap<>();
            List<ModelProbe> started = new ArrayList<>();
            resolved.forEach((replica, where) -> {
                ModelProbe have = current.get(replica);
                ModelProbe probe = have != null && have.target.equals(where) ? have : newProbe(id, replica, where);
                next.put(replica, probe);
                if (probe != have) {
                    started.add(probe);
                }
            });
            List<ModelProbe> retired = new ArrayList<>((old == null ? Map.<String, ModelProbe>of() : old.replicas())
                    .values().stream().filter(p -> next.get(p.replica) != p).toList());
            if (!fresh && started.isEmpty() && retired.isEmpty()) {
                return old;
            }
            retired.forEach(p -> p.cancelled = true);
            ModelHealth health = fresh ? new ModelHealth(id, settings, Collections.unmodifiableMap(next),
                    new ProbeMetrics(registry, id, settings.model(), null), config.statusPeriod()) : old;
            health.replicas(Collections.unmodifiableMap(next));
            // meters are registered and removed on the scheduler thread, in order, so a re-track with equal tags
            // never has its new gauges removed by the old one's clean-up
            Optional<PublishedHealth> before = old == null ? inStatus.get() : Optional.empty();
            schedule.execute(() -> {
                before.ifPresent(shown -> health.seed(shown, config.clock().instant()));
                retired.forEach(schedule::retire);
                if (fresh) {
                    if (old != null) {
                        old.removeGauges();
                    }
                    health.registerGauges();
                }
                started.forEach(schedule::start);
                if (!fresh && !retired.isEmpty() && health.publishIfDue(config.clock().instant(), true)) {
                    onPublish.accept(id); // a replica gone changes the model's figures and lines
                }
            });
            return health;
        });
    }

    /** Whether any model is tracked (only the leader tracks). */
    public boolean tracking() {
        return !models.isEmpty();
    }

    /** Stops probing {@code id} and removes its metrics. */
    public void untrack(ResourceID id) {
        ModelHealth health = models.remove(id);
        if (health != null) {
            health.replicas().values().forEach(p -> p.cancelled = true);
            schedule.execute(() -> {
                health.replicas().values().forEach(schedule::retire);
                health.removeGauges();
            });
        }
    }

    /**
     * The last published health of {@code id} over its replicas, with its latest traffic figures; empty before the
     * first probe finished.
     */
    public Optional<PublishedHealth> published(ResourceID id) {
        ModelHealth health = models.get(id);
        Optional<PublishedHealth> published = health == null ? Optional.empty() : Optional.ofNullable(health.published());
        return published.map(p -> traffic.latest(id).map(e -> withTraffic(p, e)).orElse(p));
    }

    /** A copy: the published value is shared with other readers and must not change under them. */
    private static PublishedHealth withTraffic(PublishedHealth p, TrafficEvidence e) {
        HealthStatus copy = p.health().copy();
        copy.setTraffic(e.figures());
        return new PublishedHealth(copy, p.circuit(), p.healthy(), p.reason(), p.message());
    }

    /** Every tracked replica as the monitor sees it now, sorted by namespace, name and replica. */
    public List<ModelHealthView> debugView() {
        return models.values().stream()
                .sorted(Comparator.comparing((ModelHealth h) -> h.id.getNamespace().orElse(""))
                        .thenComparing(h -> h.id.getName()))
                .flatMap(h -> h.replicas().values().stream())
                .map(p -> ModelHealthView.of(p, runner))
                .toList();
    }

    @Override
    public void close() {
        models.values().forEach(h -> h.replicas().values().forEach(p -> p.cancelled = true));
        schedule.close();
        // a load whose client leaves is aborted by Ollama: the next operator (or leader) starts it afresh
        loadHttp.dispatcher().cancelAll();
        loadHttp.dispatcher().executorService().shutdownNow();
    }

    /**
     * Loads wait on a dispatcher of their own: on the probes' one, loads in flight would take its requests and the
     * probes of models already Ready would queue behind them.
     */
    private static OkHttpClient loadClient(OkHttpClient http, int lanes) {
        AtomicInteger count = new AtomicInteger();
        Dispatcher dispatcher = new Dispatcher(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ollama-load-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }));
        dispatcher.setMaxRequests(lanes);
        dispatcher.setMaxRequestsPerHost(lanes);
        return http.newBuilder().dispatcher(dispatcher).build();
    }

    private static Map<String, ModelProbe.Resolved> resolve(ProbeTarget target) {
        if (target.model() == null || target.model().isBlank()) {
            throw new IllegalArgumentException("spec.model: must not be empty");
        }
        if (target.replicas().isEmpty()) {
            throw new IllegalArgumentException("replicas: at least one is needed to probe");
        }
        ProbeSettings probe = ProbeSettings.from(target.probe());
        CircuitSettings circuit = CircuitSettings.from(target.circuitBreaker());
        Map<String, ModelProbe.Resolved> resolved = new TreeMap<>();
        for (ProbeTarget.Replica replica : target.replicas()) {
            if (replica.endpoint() == null || HttpUrl.parse(replica.endpoint()) == null) {
                throw new IllegalArgumentException("endpoint: not an http(s) URL: " + replica.endpoint());
            }
            resolved.put(replica.name(), new ModelProbe.Resolved(replica.endpoint(), target.model(), probe, circuit,
                    target.keepAlive()));
        }
        return resolved;
    }

    private ModelProbe newProbe(ResourceID id, String replica, ModelProbe.Resolved target) {
        String name = id.getNamespace().orElse("") + "/" + id.getName() + "/" + replica;
        ModelCircuit circuit = new ModelCircuit(name, target.circuit(), target.probe().window(), config.clock(),
                transition -> onTransition(id, target.model(), new CircuitTransition(replica, transition.from(),
                        transition.to())));
        return new ModelProbe(id, replica, target, new OllamaClient(http, target.endpoint()), circuit,
                new ProbeMetrics(registry, id, target.model(), replica), config.statusPeriod());
    }

    /** A replica published or its memory changed (scheduler thread): the model's health follows. */
    private void replicaChanged(ModelProbe probe) {
        ModelHealth health = models.get(probe.id);
        if (health != null && health.replicas().get(probe.replica) == probe
                && health.publishIfDue(config.clock().instant(), probe.transitioned())) {
            onPublish.accept(probe.id);
        }
    }

    private void onTransition(ResourceID id, String model, CircuitTransition transition) {
        try (var ignored = LogContext.of(id.getNamespace().orElse(""), id.getName(), model)) {
            LOG.info("circuit of {} {}", transition.replica(), transition.text());
        }
        circuitListener.accept(id, transition);
    }
}
