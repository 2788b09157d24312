package io.localmodels.operator.traffic;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.TrafficStatus;
import io.localmodels.operator.health.Tolerance;
import io.localmodels.operator.router.RouterTraffic;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each backend's traffic through each router, as the router's status shows it. Steady traffic is not rewritten every
 * period: a backend's figures are replaced only when they moved materially from the ones shown ({@link #material}),
 * and while requests flow at the latest every {@link #HEARTBEAT}; {@code since} and {@code observedTime} say which
 * period the shown figures are from. A backend never seen with requests is not shown, so a quiet router writes
 * nothing. Written by the traffic monitor's thread, read by the router reconciles.
 */
final class RouterTrafficBook implements RouterTraffic {

    /** The longest steady figures stay unreplaced while requests flow: the heartbeat of model health. */
    static final Duration HEARTBEAT = Duration.ofMinutes(10);
    /** A count (requests, failures) that moved by this share of the shown value or less is noise... */
    static final double SHARE = 0.10;
    /** ...and so is one that moved by this many or fewer. */
    static final long COUNT_FLOOR = 1;
    /** A success rate that moved by this much or less is noise. */
    static final double RATE_FLOOR = 0.01;
    /** A p95 latency move: the tolerance of model health's latencies. */
    static final long LATENCY_MILLIS = 20;

    /** Router → LocalModel name → figures shown; the inner maps are replaced, never changed. */
    private final Map<ResourceID, Map<String, TrafficStatus>> shown = new ConcurrentHashMap<>();
    /** The routers some round of this process has judged; before that, their status shows an earlier process's. */
    private final Set<ResourceID> judged = ConcurrentHashMap.newKeySet();

    @Override
    public Map<String, TrafficStatus> backends(ResourceID router, Map<String, TrafficStatus> inStatus) {
        if (!judged.contains(router) && !inStatus.isEmpty()) {
            // a restart: what status shows stands, and the first readings are compared with it
            shown.putIfAbsent(router, Map.copyOf(inStatus));
        }
        return shown.getOrDefault(router, Map.of());
    }

    /**
     * Takes one round: {@code fresh} figures over {@code since}..{@code now} of the routers whose proxies were all
     * read (by backend), {@code stale} routers whose proxies were not. A router in neither is gone. Returns the
     * routers whose shown figures changed.
     */
    Set<ResourceID> update(Instant now, Instant since, Map<ResourceID, Map<ResourceID, BackendTraffic>> fresh,
                           Set<ResourceID> stale) {
        Set<ResourceID> changed = new HashSet<>();
        for (ResourceID router : Set.copyOf(shown.keySet())) {
            if (!fresh.containsKey(router) && !stale.contains(router)) {
                shown.remove(router);
                changed.add(router);
            }
        }
        for (ResourceID router : stale) {
            Map<String, TrafficStatus> before = shown.get(router);
            if (before != null && before.values().stream().anyMatch(t -> !Boolean.TRUE.equals(t.getStale()))) {
                Map<String, TrafficStatus> marked = new TreeMap<>();
                before.forEach((lm, t) -> {
                    TrafficStatus copy = t.copyInto(new TrafficStatus());
                    copy.setStale(true);
                    marked.put(lm, copy);
                });
                shown.put(router, Map.copyOf(marked));
                changed.add(router);
            }
        }
        fresh.forEach((router, backends) -> {
            if (!stale.contains(router) && take(router, backends, since, now)) {
                changed.add(router);
            }
        });
        Set<ResourceID> inRound = new HashSet<>(fresh.keySet());
        inRound.addAll(stale);
        judged.retainAll(inRound);
        judged.addAll(inRound);
        return changed;
    }

    /** Whether the router's shown figures changed. */
    private boolean take(ResourceID router, Map<ResourceID, BackendTraffic> backends, Instant since, Instant now) {
        Map<String, TrafficStatus> before = shown.getOrDefault(router, Map.of());
        Map<String, TrafficStatus> next = new TreeMap<>();
        backends.forEach((id, t) -> {
            if (!Objects.equals(id.getNamespace(), router.getNamespace())) {
                return; // a router's deployments are its own namespace's LocalModels
            }
            TrafficStatus old = before.get(id.getName());
            TrafficStatus figures = TrafficBook.figures(t, since, now);
            if (old == null && figures.getRequests() == 0) {
                return; // never carried requests through this router: nothing to say
            }
            next.put(id.getName(), old == null || material(old, figures) || heartbeat(old, now) ? figures : old);
        });
        if (next.equals(before)) {
            return false;
        }
        if (next.isEmpty()) {
            shown.remove(router);
        } else {
            shown.put(router, Map.copyOf(next));
        }
        return true;
    }

    /**
     * Whether figures moved enough to be shown: the stale mark, LiteLLM's deployment state or the failure classes
     * changed; failures came or went; requests, backend failures or client errors moved by more than
     * {@link #SHARE} and {@link #COUNT_FLOOR}; the success rate by more than {@link #RATE_FLOOR}; p95 latency as
     * model health's latencies do. The times alone never are.
     */
    static boolean material(TrafficStatus shown, TrafficStatus next) {
        return !Objects.equals(Boolean.TRUE.equals(shown.getStale()), Boolean.TRUE.equals(next.getStale()))
                || !Objects.equals(shown.getDeploymentState(), next.getDeploymentState())
                || !Objects.equals(classes(shown), classes(next))
                || cameOrWent(shown.getBackendFailures(), next.getBackendFailures())
                || cameOrWent(shown.getRequests(), next.getRequests())
                || Tolerance.moved(shown.getRequests(), next.getRequests(), COUNT_FLOOR, SHARE)
                || Tolerance.moved(shown.getBackendFailures(), next.getBackendFailures(), COUNT_FLOOR, SHARE)
                || Tolerance.moved(shown.getClientErrors(), next.getClientErrors(), COUNT_FLOOR, SHARE)
                || rateMoved(shown.getSuccessRate(), next.getSuccessRate())
                || Tolerance.moved(shown.getLatencyP95Ms(), next.getLatencyP95Ms(), LATENCY_MILLIS, SHARE);
    }

    /** While requests flow, figures older than the heartbeat are replaced even when steady. */
    private static boolean heartbeat(TrafficStatus shown, Instant now) {
        return shown.getRequests() != null && shown.getRequests() > 0 && shown.getObservedTime() != null
                && !Instant.parse(shown.getObservedTime()).plus(HEARTBEAT).isAfter(now);
    }

    private static Set<String> classes(TrafficStatus t) {
        return Optional.ofNullable(t.getFailuresByClass()).map(Map::keySet).orElse(Set.of());
    }

    private static boolean cameOrWent(Long shown, Long next) {
        return (shown == null || shown == 0) != (next == null || next == 0);
    }

    private static boolean rateMoved(Double shown, Double next) {
        if (shown == null || next == null) {
            return !Objects.equals(shown, next);
        }
        return Math.abs(next - shown) > RATE_FLOOR;
    }
}
