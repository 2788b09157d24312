package io.localmodels.operator.api;

/** Names and schema patterns shared by both custom resources. */
public final class Api {
    public static final String GROUP = "localmodels.io";
    public static final String VERSION = "v1alpha1";

    /** Kubernetes-style durations: 30s, 5m, 1h30m, 250ms. */
    public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
    /**
     * OLLAMA_KEEP_ALIVE as Ollama reads it: a Go duration ({@code 1h30m}, {@code 300ms}, {@code -1m}) or an integer
     * of seconds ({@code -1}, {@code 3600}); negative keeps the model loaded. Ollama turns anything else into 5m.
     */
    public static final String KEEP_ALIVE = "^[-+]?([0-9]+|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$";
    /** An http(s) base URL. */
    public static final String URL = "^https?://[^\\s/]+(/.*)?$";

    private Api() {
    }
}
