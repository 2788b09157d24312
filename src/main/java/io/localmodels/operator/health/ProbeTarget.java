package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitBreakerSpec;
import io.localmodels.operator.api.ProbeSpec;

/** Where and how to probe one model; the specs may be null (all defaults). */
public record ProbeTarget(String endpoint, String model, ProbeSpec probe, CircuitBreakerSpec circuitBreaker) {
}
