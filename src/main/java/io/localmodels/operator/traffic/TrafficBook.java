package io.localmodels.operator.traffic;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.TrafficStatus;
import io.localmodels.operator.health.TrafficEvidence;
import io.localmodels.operator.health.TrafficSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest traffic evidence of every LocalModel a router reads: fresh after a round that read all its proxies,
 * stale (the last figures, marked) after one that could not, gone when no router routes to it any more. Written
 * by the traffic monitor's thread, read by the health monitor's.
 */
final class TrafficBook implements TrafficSource {

    private final Map<ResourceID, TrafficEvidence> latest = new ConcurrentHashMap<>();
    private long sequence;

    @Override
    public Optional<TrafficEvidence> latest(ResourceID id) {
        return Optional.ofNullable(latest.get(id));
    }

    /**
     * Takes one round: {@code fresh} figures over {@code since}..{@code now}, {@code stale} backends whose proxies
     * could not all be read. Returns the LocalModels whose figures changed in more than their times.
     */
    Set<ResourceID> update(Instant now, Instant since, Map<ResourceID, BackendTraffic> fresh, Set<ResourceID> stale) {
        Set<ResourceID> changed = new HashSet<>();
        for (Map.Entry<ResourceID, BackendTraffic> e : fresh.entrySet()) {
            if (stale.contains(e.getKey())) {
                continue;
            }
            BackendTraffic t = e.getValue();
            TrafficEvidence next = new TrafficEvidence(++sequence, now, false, t.successes, t.backendFailures,
                    figures(t, since, now));
            put(e.getKey(), next, changed);
        }
        for (ResourceID id : stale) {
            TrafficEvidence old = latest.get(id);
            if (old != null && !old.stale()) {
                TrafficStatus marked = old.figures().copyInto(new TrafficStatus());
                marked.setStale(true);
                put(id, new TrafficEvidence(old.sequence(), old.observedAt(), true, old.successes(),
                        old.backendFailures(), marked), changed);
            }
        }
        for (ResourceID id : Set.copyOf(latest.keySet())) {
            if (!fresh.containsKey(id) && !stale.contains(id)) {
                latest.remove(id);
                changed.add(id);
            }
        }
        return changed;
    }

    private void put(ResourceID id, TrafficEvidence next, Set<ResourceID> changed) {
        TrafficEvidence old = latest.put(id, next);
        if (old == null || !material(old.figures()).equals(material(next.figures()))) {
            changed.add(id);
        }
    }

    static TrafficStatus figures(BackendTraffic t, Instant since, Instant now) {
        TrafficStatus s = new TrafficStatus();
        double minutes = Math.max(Duration.between(since, now).toMillis(), 1) / 60_000.0;
        s.setRequestsPerMinute(Math.round(t.requests / minutes * 10) / 10.0);
        s.setRequests(t.requests);
        if (t.requests > 0) {
            s.setSuccessRate(Math.round(Math.min(t.successes, t.requests) * 1000.0 / t.requests) / 1000.0);
        }
        s.setBackendFailures(t.backendFailures);
        s.setClientErrors(t.clientErrors);
        if (!t.failuresByClass.isEmpty()) {
            s.setFailuresByClass(t.failuresByClass());
        }
        s.setLatencyP95Ms(t.p95Millis());
        if (t.state != null) {
            s.setDeploymentState(DeploymentSeries.stateName(t.state));
        }
        s.setSince(since.truncatedTo(ChronoUnit.SECONDS).toString());
        s.setObservedTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
        s.setStale(false);
        return s;
    }

    /** Everything but the times, which move every round. */
    private static List<Object> material(TrafficStatus s) {
        return Arrays.asList(s.getRequestsPerMinute(), s.getRequests(), s.getSuccessRate(), s.getBackendFailures(),
                s.getClientErrors(), s.getFailuresByClass(), s.getLatencyP95Ms(), s.getDeploymentState(),
                Objects.requireNonNullElse(s.getStale(), false));
    }
}
