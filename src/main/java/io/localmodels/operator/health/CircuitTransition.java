package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitState;

/** One change of a model's circuit breaker state, as the breaker reported it. */
public record CircuitTransition(CircuitState from, CircuitState to) {

    /** The circuit (re)opened: probes are failing and routers leave the model out. */
    public boolean opened() {
        return to == CircuitState.OPEN;
    }

    /** "Closed→Open", for logs and Events. */
    public String text() {
        return from.value() + "→" + to.value();
    }
}
