package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitBreakerSpec;
import io.localmodels.operator.api.ProbeSpec;

/**
 * Where and how to probe one model; the specs may be null (all defaults). {@code keepAlive} goes with warm-up loads
 * ({@code spec.ollama.keepAlive}; null leaves the server's own).
 */
public record ProbeTarget(String endpoint, String model, ProbeSpec probe, CircuitBreakerSpec circuitBreaker,
                          String keepAlive) {

    public ProbeTarget(String endpoint, String model, ProbeSpec probe, CircuitBreakerSpec circuitBreaker) {
        this(endpoint, model, probe, circuitBreaker, null);
    }
}
