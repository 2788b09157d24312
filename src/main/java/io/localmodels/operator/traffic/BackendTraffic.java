package io.localmodels.operator.traffic;

import io.localmodels.operator.traffic.ProxyReading.Point;
import io.localmodels.operator.traffic.ProxyReading.SeriesKey;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one backend's counters grew by over one status period, summed over the proxy pods of its routers and over
 * LiteLLM's key and team labels. A counter that went down, or whose series was created anew, restarted: its whole
 * value is the growth since (never a negative figure). Mutable while one round of readings adds up.
 */
final class BackendTraffic {

    long requests;
    long successes;
    long backendFailures;
    long clientErrors;
    final Map<String, Long> failuresByClass = new TreeMap<>();
    /** Growth of the latency histogram's cumulative buckets, by upper bound in seconds. */
    final TreeMap<Double, Double> latencyBuckets = new TreeMap<>();
    /** LiteLLM's deployment state, the worst over the pods; null when no pod exported one. */
    Integer state;

    /**
     * Adds one pod's growth between two readings to the backends it names ({@code into}, by model_id). A series the
     * previous reading lacked was created since: all of it is growth.
     */
    static void addGrowth(ProxyReading previous, ProxyReading current, Map<String, BackendTraffic> into) {
        current.counters().forEach((key, now) -> {
            double growth = growth(previous.counters().get(key), now);
            if (growth > 0) {
                into.computeIfAbsent(key.modelId(), id -> new BackendTraffic()).add(key, growth);
            }
        });
        current.states().forEach((id, state) -> into.computeIfAbsent(id, i -> new BackendTraffic()).state(state));
    }

    static double growth(Point before, Point now) {
        if (before == null) {
            return now.value();
        }
        boolean recreated = !Double.isNaN(before.created()) && !Double.isNaN(now.created())
                && before.created() != now.created();
        return recreated || now.value() < before.value() ? now.value() : now.value() - before.value();
    }

    private void add(SeriesKey key, double growth) {
        long n = Math.round(growth);
        switch (key.metric()) {
            case DeploymentSeries.TOTAL -> requests += n;
            case DeploymentSeries.SUCCESS -> successes += n;
            case DeploymentSeries.FAILURE -> {
                String status = key.labels().get(DeploymentSeries.EXCEPTION_STATUS);
                String cls = key.labels().getOrDefault(DeploymentSeries.EXCEPTION_CLASS, "Unknown");
                if (DeploymentSeries.backendFailure(status, cls)) {
                    backendFailures += n;
                } else {
                    clientErrors += n;
                }
                failuresByClass.merge(cls, n, Long::sum);
            }
            case DeploymentSeries.LATENCY -> {
                String le = key.labels().get(DeploymentSeries.LE);
                if (le != null) {
                    latencyBuckets.merge("+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
                            growth, Double::sum);
                }
            }
            default -> { }
        }
    }

    private void state(int value) {
        state = state == null ? value : Math.max(state, value);
    }

    /** Adds another router's figures for the same LocalModel. */
    void merge(BackendTraffic other) {
        requests += other.requests;
        successes += other.successes;
        backendFailures += other.backendFailures;
        clientErrors += other.clientErrors;
        other.failuresByClass.forEach((k, v) -> failuresByClass.merge(k, v, Long::sum));
        other.latencyBuckets.forEach((k, v) -> latencyBuckets.merge(k, v, Double::sum));
        if (other.state != null) {
            state(other.state);
        }
    }

    /**
     * The 95th percentile in milliseconds from the bucket growth, interpolated inside its bucket as Prometheus'
     * {@code histogram_quantile} does; null without observations. In the +Inf bucket: the highest finite bound.
     */
    Long p95Millis() {
        Double total = latencyBuckets.get(Double.POSITIVE_INFINITY);
        if (total == null || total <= 0) {
            return null;
        }
        double rank = 0.95 * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> b : latencyBuckets.entrySet()) {
            if (b.getValue() >= rank) {
                if (b.getKey().isInfinite()) {
                    return Math.round(lowerBound * 1000);
                }
                double inBucket = b.getValue() - lowerCount;
                double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return Math.round((lowerBound + (b.getKey() - lowerBound) * fraction) * 1000);
            }
            lowerBound = b.getKey();
            lowerCount = b.getValue();
        }
        return Math.round(lowerBound * 1000);
    }

    Map<String, Long> failuresByClass() {
        return new HashMap<>(failuresByClass);
    }
}
