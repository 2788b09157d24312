package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitState;

/**
 * One change of a replica's circuit breaker state, as the breaker reported it; {@code replica} is the pod's name, or
 * {@link ProbeTarget#SERVER} for the one server of an external model.
 */
public record CircuitTransition(String replica, CircuitState from, CircuitState to) {

    public CircuitTransition(CircuitState from, CircuitState to) {
        this(ProbeTarget.SERVER, from, to);
    }

    /** The circuit (re)opened: probes are failing and routers leave the model out. */
    public boolean opened() {
        return to == CircuitState.OPEN;
    }

    /** Whether this is one pod among the model's replicas rather than its only server. */
    public boolean ofPod() {
        return !ProbeTarget.SERVER.equals(replica);
    }

    /** "Closed→Open", for logs and Events. */
    public String text() {
        return from.value() + "→" + to.value();
    }
}
