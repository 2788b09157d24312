package io.localmodels.operator.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * A model's circuit breaker state, from the health monitor through {@code status.health.circuit} to the routers'
 * gate: {@link #value()} is the name status carries.
 */
public enum CircuitState {
    CLOSED("Closed", 0),
    HALF_OPEN("HalfOpen", 1),
    OPEN("Open", 2);

    private final String value;
    private final int code;

    CircuitState(String value, int code) {
        this.value = value;
        this.code = code;
    }

    /** The name in {@code status.health.circuit}. */
    public String value() {
        return value;
    }

    /** For the circuit-state gauge: 0 closed, 1 half-open, 2 open. */
    public int code() {
        return code;
    }

    /** The state a status names; empty for null or an unknown name. */
    public static Optional<CircuitState> of(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }

    @Override
    public String toString() {
        return value;
    }
}
