package io.localmodels.operator.api;

/** ModelRouter phases, as {@code kubectl get modelrouters} shows them; {@link #value()} is what status carries. */
public enum RouterPhase {
    PENDING("Pending"),
    READY("Ready"),
    DEGRADED("Degraded"),
    INVALID("Invalid"),
    /** No proxy pod can be created (quota, LimitRange, Pod Security): it will not fix itself. */
    FAILED("Failed");

    private final String value;

    RouterPhase(String value) {
        this.value = value;
    }

    /** The name in {@code status.phase}. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
