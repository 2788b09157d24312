package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.HealthStatus;

import java.util.Arrays;
import java.util.List;

/** Turns a model's window and circuit into what the Healthy condition says, and tells material changes apart. */
final class HealthVerdict {

    static final String SUCCEEDING = "ProbesSucceeding";
    static final String BUDGET = "ThinkingBudgetExhausted";
    static final String FAILING = "ProbesFailing";
    static final String CIRCUIT_OPEN = "CircuitOpen";
    static final String CIRCUIT_HALF_OPEN = "CircuitHalfOpen";

    /** A latency move smaller than this share of the published value is noise. */
    static final double LATENCY_SHARE = 0.10;
    /** A latency move of this many milliseconds or less is noise, however small the value. */
    static final long LATENCY_MILLIS = 20;

    private HealthVerdict() {
    }

    /** The {@code healthy} of {@link #of}, without building the rest. */
    static boolean healthy(HealthWindow window, CircuitState circuit) {
        return circuit == CircuitState.CLOSED && window.anySuccess();
    }

    /**
     * Healthy means: the circuit is closed and at least one probe in the window succeeded. An open or half-open
     * circuit is unhealthy (half-open: trial probes have not yet shown the model is back).
     */
    static PublishedHealth of(HealthWindow window, CircuitState circuit) {
        return of(window, circuit, null);
    }

    /**
     * The same, while the last probe was {@link ProbeOutcome#Busy} within its grace ({@code busy} not null): the
     * window and circuit stand as they were, and {@code lastResult} says Busy.
     */
    static PublishedHealth of(HealthWindow window, CircuitState circuit, ProbeResult busy) {
        PublishedHealth verdict = of(window.toStatus(circuit), window, circuit);
        if (busy == null) {
            return verdict;
        }
        verdict.health().setLastResult(busy.outcome().name());
        verdict.health().setLastError(busy.error());
        return new PublishedHealth(verdict.health(), verdict.circuit(), verdict.healthy(), verdict.reason(),
                verdict.message() + "; last probe Busy: " + busy.error());
    }

    private static PublishedHealth of(HealthStatus status, HealthWindow window, CircuitState circuit) {
        String summary = summary(window, status);
        String last = window.last().map(r -> r.outcome() + (r.error().isEmpty() ? "" : ": " + r.error())).orElse("");
        return switch (circuit) {
            case OPEN -> new PublishedHealth(status, circuit, false, CIRCUIT_OPEN,
                    "circuit open: " + summary + "; last probe " + last);
            case HALF_OPEN -> new PublishedHealth(status, circuit, false, CIRCUIT_HALF_OPEN,
                    "circuit half-open: trial probes decide whether it closes; " + summary);
            case CLOSED -> {
                if (!window.anySuccess()) {
                    yield new PublishedHealth(status, circuit, false, FAILING,
                            "no probe succeeded yet: " + summary + "; last probe " + last);
                }
                ProbeResult r = window.last().orElseThrow();
                if (r.outcome() == ProbeOutcome.ThinkingBudgetExhausted) {
                    yield new PublishedHealth(status, circuit, true, BUDGET, r.error());
                }
                yield new PublishedHealth(status, circuit, true, SUCCEEDING,
                        summary + (r.isFailure() ? "; last probe " + last : ""));
            }
        };
    }

    /**
     * Whether {@code next} tells a reader of status something {@code published} did not, apart from latency:
     * another circuit, verdict, reason, success rate, {@code lastResult}, replica line (circuit, result, ready).
     * Not news: timestamps, the window filling ({@code probes}), failures in a row, tokens/s, queue and network
     * time, {@code lastError}'s text. A quiet fleet would otherwise cost one API write per model per status period
     * and tell nobody anything; the figures that are not news go out with the next write that is.
     */
    static boolean material(PublishedHealth published, PublishedHealth next) {
        return !classes(published).equals(classes(next));
    }

    /**
     * Whether a latency percentile of {@code next} moved from its published value by more than
     * {@link #LATENCY_SHARE} of it <em>and</em> more than {@link #LATENCY_MILLIS}. News only once it has held for a
     * status period ({@link ModelHealth}): one slow probe moves a window's p95 for as long as it stays in the window.
     */
    static boolean latencyMoved(PublishedHealth published, PublishedHealth next) {
        return moved(published.health().getLatencyP50Ms(), next.health().getLatencyP50Ms())
                || moved(published.health().getLatencyP95Ms(), next.health().getLatencyP95Ms());
    }

    private static List<Object> classes(PublishedHealth p) {
        HealthStatus h = p.health();
        return Arrays.asList(p.circuit(), p.healthy(), p.reason(), h.getSuccessRate(), h.getLastResult(),
                h.getReplicas(), h.getDecidedBy());
    }

    private static boolean moved(Long published, Long next) {
        return Tolerance.moved(published, next, LATENCY_MILLIS, LATENCY_SHARE);
    }

    private static String summary(HealthWindow window, HealthStatus status) {
        long ok = Math.round(window.successRate().orElse(0.0) * window.probes());
        return ok + " of the last " + status.getProbes() + " probes succeeded";
    }
}
