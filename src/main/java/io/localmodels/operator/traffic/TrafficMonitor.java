package io.localmodels.operator.traffic;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.health.TrafficSource;
import io.localmodels.operator.router.RouterTraffic;
import io.localmodels.operator.traffic.ProxyPods.Router;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads every ModelRouter proxy pod's LiteLLM metrics once per status period and turns the counters' growth into
 * each backend LocalModel's traffic figures ({@link #source()}): the pods of a router are summed, a pod read for the
 * first time (or again after a failed read) is a baseline, so nothing is counted twice, and a router with a pod that
 * could not be read leaves its backends' figures stale. LocalModels whose figures changed are handed to
 * {@code onChange}, routers whose backends' figures through them changed ({@link #routerSource()}) to
 * {@code onRouterChange} (a reconcile writes them into status).
 */
public final class TrafficMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficMonitor.class);
    /** Reads in flight at once over all proxy pods. */
    static final int CONCURRENCY = 16;

    private final OperatorConfig config;
    private final ProxyAddressing addressing;
    private final Consumer<ResourceID> onChange;
    private final Consumer<ResourceID> onRouterChange;
    private final BooleanSupplier active;
    private final ProxyPods pods;
    private final ProxyScraper scraper;
    private final TrafficBook book = new TrafficBook();
    private final RouterTrafficBook routerBook = new RouterTrafficBook();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "traffic-reader");
        t.setDaemon(true);
        return t;
    });
    /** The last good reading of each pod, by uid (scheduler thread). */
    private Map<String, ProxyReading> previous = new HashMap<>();
    /** The backends each router's last round named, so that a failed read marks them stale (scheduler thread). */
    private Map<Router, Set<ResourceID>> backendsOf = new HashMap<>();
    private Instant lastRound;

    /**
     * @param active whether there is anything to judge (the health monitor tracks a model): false on a replica that
     *               is not the leader, which then reads nothing
     */
    public TrafficMonitor(KubernetesClient client, OperatorConfig config, OkHttpClient http, ProxyAddressing addressing,
                          BooleanSupplier active, Consumer<ResourceID> onChange, Consumer<ResourceID> onRouterChange) {
        this.config = config;
        this.addressing = addressing;
        this.active = active;
        this.onChange = onChange;
        this.onRouterChange = onRouterChange;
        this.pods = new ProxyPods(client, config.namespaces(), config.shard());
        // rounds run with a fixed delay, so a slow pod delays the next round rather than piling rounds up
        Duration timeout = clamp(config.statusPeriod().dividedBy(2), Duration.ofSeconds(1), Duration.ofSeconds(5));
        this.scraper = new ProxyScraper(http, timeout, CONCURRENCY);
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    /** What the health monitor consults before each probe. */
    public TrafficSource source() {
        return book;
    }

    /** What the router reconciles show per backend: each router's own traffic, before the routers are summed. */
    public RouterTraffic routerSource() {
        return routerBook;
    }

    public void start() {
        long period = config.statusPeriod().toMillis();
        scheduler.scheduleWithFixedDelay(this::safeRound, period, period, TimeUnit.MILLISECONDS);
    }

    private void safeRound() {
        try {
            if (active.getAsBoolean()) {
                round();
            }
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again
            LOG.error("reading the proxies' metrics failed", e);
        }
    }

    /** One round over every router's Ready proxy pods (scheduler thread; tests call it through {@link #start}). */
    void round() {
        Instant now = config.clock().instant();
        Map<Router, List<Pod>> ready = pods.ready();
        Map<String, CompletableFuture<ProxyReading>> reads = new LinkedHashMap<>();
        ready.values().forEach(list -> list.forEach(pod -> reads.put(pod.getMetadata().getUid(),
                scraper.read(addressing.metricsUrl(pod)))));

        Map<String, ProxyReading> next = new HashMap<>();
        Map<Router, Set<ResourceID>> nextBackends = new HashMap<>();
        Map<ResourceID, BackendTraffic> sums = new HashMap<>();
        Set<ResourceID> stale = new HashSet<>();
        Map<ResourceID, Map<ResourceID, BackendTraffic>> byRouter = new HashMap<>();
        Set<ResourceID> staleRouters = new HashSet<>();
        for (Map.Entry<Router, List<Pod>> r : ready.entrySet()) {
            boolean complete = true;
            Map<String, BackendTraffic> byId = new HashMap<>();
            for (Pod pod : r.getValue()) {
                String uid = pod.getMetadata().getUid();
                Optional<ProxyReading> reading = join(reads.get(uid), pod);
                if (reading.isEmpty()) {
                    complete = false;
                    continue;
                }
                next.put(uid, reading.get());
                ProxyReading before = previous.get(uid);
                if (before == null && lastRound == null) {
                    complete = false; // the operator's first look: a baseline for everyone
                    continue;
                }
                BackendTraffic.addGrowth(before != null ? before : createdBefore(reading.get(), lastRound),
                        reading.get(), byId);
            }
            Set<ResourceID> backends = new HashSet<>();
            Map<ResourceID, BackendTraffic> own = new HashMap<>();
            byId.forEach((modelId, t) -> backendOf(modelId).ifPresent(id -> {
                backends.add(id);
                own.computeIfAbsent(id, k -> new BackendTraffic()).merge(t);
                sums.computeIfAbsent(id, k -> new BackendTraffic()).merge(t);
            }));
            if (!complete) {
                backends.addAll(backendsOf.getOrDefault(r.getKey(), Set.of()));
                stale.addAll(backends);
                staleRouters.add(r.getKey().id());
            } else {
                byRouter.put(r.getKey().id(), own);
            }
            nextBackends.put(r.getKey(), backends);
        }
        // a router whose pods all went unready: what it read before is stale, not zero
        backendsOf.forEach((router, ids) -> {
            if (!ready.containsKey(router)) {
                stale.addAll(ids);
                staleRouters.add(router.id());
            }
        });
        previous = next;
        backendsOf = nextBackends;
        if (lastRound != null) {
            book.update(now, lastRound, sums, stale).forEach(onChange);
            routerBook.update(now, lastRound, byRouter, staleRouters).forEach(onRouterChange);
        }
        lastRound = now;
    }

    private static Optional<ProxyReading> join(CompletableFuture<ProxyReading> read, Pod pod) {
        try {
            return Optional.of(read.join());
        } catch (RuntimeException e) {
            LOG.debug("cannot read the metrics of proxy pod {}/{}: {}", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * For a pod seen for the first time: its series created before the last round were counted nowhere and are a
     * baseline; those created since (a new or restarted pod's) are all growth of this period.
     */
    private static ProxyReading createdBefore(ProxyReading reading, Instant lastRound) {
        double cutoff = lastRound.toEpochMilli() / 1000.0;
        Map<ProxyReading.SeriesKey, ProxyReading.Point> old = new HashMap<>();
        reading.counters().forEach((key, point) -> {
            if (Double.isNaN(point.created()) || point.created() < cutoff) {
                old.put(key, point);
            }
        });
        return new ProxyReading(old, Map.of());
    }

    /** {@code <namespace>/<LocalModel>} or {@code <namespace>/<LocalModel>@<group>}, as LiteLlmConfig renders ids. */
    static Optional<ResourceID> backendOf(String modelId) {
        int slash = modelId.indexOf('/');
        if (slash <= 0 || slash == modelId.length() - 1) {
            return Optional.empty();
        }
        String name = modelId.substring(slash + 1);
        int at = name.indexOf('@');
        name = at < 0 ? name : name.substring(0, at);
        return name.isEmpty() ? Optional.empty() : Optional.of(new ResourceID(name, modelId.substring(0, slash)));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        pods.close();
    }
}
