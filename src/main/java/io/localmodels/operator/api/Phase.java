package io.localmodels.operator.api;

/** LocalModel phases, as {@code kubectl get localmodels} shows them. */
public final class Phase {
    public static final String PENDING = "Pending";
    public static final String SCHEDULING = "Scheduling";
    public static final String PULLING = "Pulling";
    public static final String LOADING = "Loading";
    public static final String READY = "Ready";
    public static final String DEGRADED = "Degraded";
    public static final String UNAVAILABLE = "Unavailable";
    public static final String FAILED = "Failed";

    private Phase() {
    }
}
