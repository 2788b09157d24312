package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitBreakerSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code spec.circuitBreaker} with defaults applied and values checked; a value record like {@link ProbeSettings}.
 *
 * @param failureRateThreshold percent of failed probes in the window that opens the circuit
 * @param minimumProbes        probes needed before the failure rate counts
 * @param openDuration         time open before trial probes
 * @param halfOpenProbes       trial probes in the half-open state
 * @param minimumRequests      users' requests in one status period before traffic speaks for the model
 */
public record CircuitSettings(int failureRateThreshold, int minimumProbes, Duration openDuration, int halfOpenProbes,
                              int minimumRequests) {

    public static final int DEFAULT_THRESHOLD = 50;
    public static final int DEFAULT_MINIMUM_PROBES = 4;
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(60);
    public static final int DEFAULT_HALF_OPEN_PROBES = 2;
    public static final int DEFAULT_MINIMUM_REQUESTS = 5;

    /** The same without a say on traffic (the default minimum). */
    public CircuitSettings(int failureRateThreshold, int minimumProbes, Duration openDuration, int halfOpenProbes) {
        this(failureRateThreshold, minimumProbes, openDuration, halfOpenProbes, DEFAULT_MINIMUM_REQUESTS);
    }

    public static CircuitSettings defaults() {
        return from(null);
    }

    /**
     * Resolves a spec (null means all defaults).
     *
     * @throws IllegalArgumentException naming the field of the first problem, e.g. {@code spec.circuitBreaker.openDuration: ...}
     */
    public static CircuitSettings from(CircuitBreakerSpec spec) {
        List<String> problems = new ArrayList<>();
        CircuitSettings settings = resolve(spec, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        return settings;
    }

    /** Every problem of a spec, each naming its field. */
    public static List<String> problems(CircuitBreakerSpec spec) {
        List<String> problems = new ArrayList<>();
        resolve(spec, problems);
        return problems;
    }

    private static CircuitSettings resolve(CircuitBreakerSpec spec, List<String> problems) {
        CircuitBreakerSpec s = spec == null ? new CircuitBreakerSpec() : spec;
        return new CircuitSettings(
                ProbeSettings.within(problems, "spec.circuitBreaker.failureRateThreshold", s.getFailureRateThreshold(),
                        DEFAULT_THRESHOLD, 1, 100),
                ProbeSettings.within(problems, "spec.circuitBreaker.minimumProbes", s.getMinimumProbes(),
                        DEFAULT_MINIMUM_PROBES, 1, ProbeSettings.MAX_WINDOW),
                ProbeSettings.positive(problems, "spec.circuitBreaker.openDuration", s.getOpenDuration(),
                        DEFAULT_OPEN_DURATION),
                ProbeSettings.within(problems, "spec.circuitBreaker.halfOpenProbes", s.getHalfOpenProbes(),
                        DEFAULT_HALF_OPEN_PROBES, 1, 100),
                ProbeSettings.within(problems, "spec.circuitBreaker.minimumRequests", s.getMinimumRequests(),
                        DEFAULT_MINIMUM_REQUESTS, 1, 1_000_000));
    }
}
