package io.localmodels.operator.api;

import java.util.Arrays;
import java.util.Optional;

/** LocalModel phases, as {@code kubectl get localmodels} shows them; {@link #value()} is what status carries. */
public enum Phase {
    PENDING("Pending"),
    SCHEDULING("Scheduling"),
    PULLING("Pulling"),
    LOADING("Loading"),
    READY("Ready"),
    DEGRADED("Degraded"),
    UNAVAILABLE("Unavailable"),
    FAILED("Failed");

    private final String value;

    Phase(String value) {
        this.value = value;
    }

    /** The name in {@code status.phase}. */
    public String value() {
        return value;
    }

    /** Bad news: a Warning Event when a model enters this phase. */
    public boolean isWarning() {
        return this == FAILED || this == SCHEDULING || this == UNAVAILABLE || this == DEGRADED;
    }

    /** Ready and Degraded models take traffic. */
    public boolean isServing() {
        return this == READY || this == DEGRADED;
    }

    /** The phase a status names; empty for null or a name this operator does not write. */
    public static Optional<Phase> of(String value) {
        return Arrays.stream(values()).filter(p -> p.value.equals(value)).findFirst();
    }

    @Override
    public String toString() {
        return value;
    }
}
