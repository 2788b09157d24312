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
     * Whether two publications differ in more than their timestamps. Times alone move on every probe; writing
     * status for them would cost one API write per model per period and tell nobody anything new.
     */
    static boolean sameMaterial(PublishedHealth a, PublishedHealth b) {
        return material(a).equals(material(b));
    }

    private static List<Object> material(PublishedHealth p) {
        HealthStatus h = p.health();
        return Arrays.asList(p.circuit(), p.healthy(), p.reason(), h.getSuccessRate(), h.getLatencyP50Ms(),
                h.getLatencyP95Ms(), h.getTokensPerSecond(), h.getProbes(), h.getConsecutiveFailures(),
                h.getLastResult(), h.getLastError(), h.getReplicas(), h.getDecidedBy());
    }

    private static String summary(HealthWindow window, HealthStatus status) {
        long ok = Math.round(window.successRate().orElse(0.0) * window.probes());
        return ok + " of the last " + status.getProbes() + " probes succeeded";
    }
}
