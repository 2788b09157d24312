package io.localmodels.operator.api;

/** Names and schema patterns shared by both custom resources. */
public final class Api {
    public static final String GROUP = "localmodels.io";
    public static final String VERSION = "v1alpha1";

    /** Kubernetes-style durations: 30s, 5m, 1h30m, 250ms. */
    public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
    /** OLLAMA_KEEP_ALIVE: a duration, or a bare number of seconds; negative keeps the model loaded. */
    public static final String KEEP_ALIVE = "^-?([0-9]+(\\.[0-9]+)?(ms|s|m|h)?)+$";
    /** An http(s) base URL. */
    public static final String URL = "^https?://[^\\s/]+(/.*)?$";

    private Api() {
    }
}
