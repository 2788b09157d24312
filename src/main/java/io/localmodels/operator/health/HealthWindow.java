package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.HealthStatus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Rolling statistics over the last {@code size} probes of one model. "Success" here means "not a failure"
 * ({@link ProbeOutcome#isFailure()}): a ThinkingBudgetExhausted answer counts as a success, as it does for the
 * circuit breaker.
 *
 * <p>Latency percentiles use the nearest-rank method: sort the latencies ascending and take the value at rank
 * {@code ceil(p/100 * n)} (1-based), so p50 and p95 are always latencies that were observed. They cover the
 * probes whose wall time measures the model ({@link ProbeOutcome#measuresModel()}), so a refused connection's
 * 1 ms does not pass for a fast model.
 *
 * <p>Not thread-safe: one owner (the monitor's scheduler thread) updates and reads it.
 */
public final class HealthWindow {

    private record Entry(boolean failure, long latencyMillis, boolean measured) {
    }

    /** One probe of the window as a page draws it: its wall time and whether it failed. */
    public record Point(long latencyMs, boolean failure) {
    }

    private final int size;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private int failuresInWindow;
    private int consecutiveFailures;
    private ProbeResult last;
    private Instant lastProbeTime;
    private Instant lastSuccessTime;
    private Double lastTokensPerSecond;

    public HealthWindow(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("window must hold at least one probe, got " + size);
        }
        this.size = size;
    }

    public void record(ProbeResult result, Instant at) {
        if (entries.size() == size && entries.removeFirst().failure()) {
            failuresInWindow--;
        }
        entries.addLast(new Entry(result.isFailure(), result.latencyMillis(), result.outcome().measuresModel()));
        if (result.isFailure()) {
            failuresInWindow++;
        }
        last = result;
        lastProbeTime = at;
        if (result.isFailure()) {
            consecutiveFailures++;
        } else {
            consecutiveFailures = 0;
            lastSuccessTime = at;
            if (result.tokensPerSecond() > 0) {
                lastTokensPerSecond = result.tokensPerSecond();
            }
        }
    }

    /**
     * One window over the probes of several replicas' windows, for a model's figures over all its replicas: their
     * probes together, the last probe and success the latest of any, and failures in a row those of the replica with
     * the fewest (one replica that answers means the model is not failing throughout). One window gives its copy.
     */
    static HealthWindow merged(List<HealthWindow> windows) {
        HealthWindow merged = new HealthWindow(Math.max(1, windows.stream().mapToInt(w -> w.size).sum()));
        merged.consecutiveFailures = Integer.MAX_VALUE;
        Instant lastSuccess = null;
        for (HealthWindow w : windows) {
            merged.entries.addAll(w.entries);
            merged.failuresInWindow += w.failuresInWindow;
            if (!w.entries.isEmpty()) {
                merged.consecutiveFailures = Math.min(merged.consecutiveFailures, w.consecutiveFailures);
            }
            if (w.lastProbeTime != null && (merged.lastProbeTime == null || w.lastProbeTime.isAfter(merged.lastProbeTime))) {
                merged.lastProbeTime = w.lastProbeTime;
                merged.last = w.last;
            }
            if (w.lastSuccessTime != null && (lastSuccess == null || w.lastSuccessTime.isAfter(lastSuccess))) {
                lastSuccess = w.lastSuccessTime;
                merged.lastSuccessTime = w.lastSuccessTime;
                merged.lastTokensPerSecond = w.lastTokensPerSecond;
            }
        }
        if (merged.consecutiveFailures == Integer.MAX_VALUE) {
            merged.consecutiveFailures = 0;
        }
        return merged;
    }

    /** The probes in the window, oldest first (a copy). */
    public List<Point> points() {
        return entries.stream().map(e -> new Point(e.latencyMillis(), e.failure())).toList();
    }

    public int probes() {
        return entries.size();
    }

    /** Fraction of the probes in the window that did not fail; empty before the first probe. */
    public Optional<Double> successRate() {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((double) (entries.size() - failuresInWindow) / entries.size());
    }

    /** Nearest-rank percentile of the measured latencies in the window, in ms; empty when none was measured. */
    public Optional<Long> latencyPercentile(int percent) {
        long[] sorted = entries.stream().filter(Entry::measured).mapToLong(Entry::latencyMillis).sorted().toArray();
        if (sorted.length == 0) {
            return Optional.empty();
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return Optional.of(sorted[Math.max(rank, 1) - 1]);
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public Optional<ProbeResult> last() {
        return Optional.ofNullable(last);
    }

    /** Whether any probe in the window succeeded. */
    public boolean anySuccess() {
        return failuresInWindow < entries.size();
    }

    /** tokens/s of the last successful probe that reported eval metrics. */
    public Optional<Double> lastTokensPerSecond() {
        return Optional.ofNullable(lastTokensPerSecond);
    }

    public Optional<Instant> lastProbeTime() {
        return Optional.ofNullable(lastProbeTime);
    }

    public Optional<Instant> lastSuccessTime() {
        return Optional.ofNullable(lastSuccessTime);
    }

    /** The window as {@code status.health}, every field filled that has a value. */
    public HealthStatus toStatus(CircuitState circuit) {
        HealthStatus status = new HealthStatus();
        status.setProbes(entries.size());
        status.setConsecutiveFailures(consecutiveFailures);
        successRate().ifPresent(r -> status.setSuccessRate(Math.round(r * 1000) / 1000.0));
        latencyPercentile(50).ifPresent(status::setLatencyP50Ms);
        latencyPercentile(95).ifPresent(status::setLatencyP95Ms);
        lastTokensPerSecond().ifPresent(t -> status.setTokensPerSecond(Math.round(t * 10) / 10.0));
        lastProbeTime().ifPresent(t -> status.setLastProbeTime(timestamp(t)));
        lastSuccessTime().ifPresent(t -> status.setLastSuccessTime(timestamp(t)));
        last().ifPresent(r -> {
            status.setLastResult(r.outcome().name());
            status.setLastError(r.error());
            if (r.timing().total() > 0) {
                // "slow model" or "full model": time waited for a slot inside Ollama, and time outside its handler
                status.setQueueMs(r.timing().queue() / 1_000_000);
                status.setNetworkMs(Math.max(0, r.latencyMillis() - r.timing().total() / 1_000_000));
            }
        });
        status.setCircuit(circuit.value());
        return status;
    }

    private static String timestamp(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
