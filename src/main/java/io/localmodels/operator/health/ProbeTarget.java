package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitBreakerSpec;
import io.localmodels.operator.api.ProbeSpec;

import java.util.List;

/**
 * Where and how to probe one model: each replica at its own address, never through a Service that would mix their
 * figures. The specs may be null (all defaults). {@code keepAlive} goes with warm-up loads
 * ({@code spec.ollama.keepAlive}; null leaves the server's own).
 */
public record ProbeTarget(List<Replica> replicas, String model, ProbeSpec probe, CircuitBreakerSpec circuitBreaker,
                          String keepAlive) {

    /** One Ollama server of the model: a pod by name, or {@link #SERVER} for an external server's one URL. */
    public record Replica(String name, String endpoint) {
    }

    /** The name of the one replica of a model served at one URL (an external server). */
    public static final String SERVER = "server";

    public ProbeTarget {
        replicas = List.copyOf(replicas);
    }

    /** One server at one URL. */
    public ProbeTarget(String endpoint, String model, ProbeSpec probe, CircuitBreakerSpec circuitBreaker,
                       String keepAlive) {
        this(List.of(new Replica(SERVER, endpoint)), model, probe, circuitBreaker, keepAlive);
    }

    public ProbeTarget(String endpoint, String model, ProbeSpec probe, CircuitBreakerSpec circuitBreaker) {
        this(endpoint, model, probe, circuitBreaker, null);
    }
}
