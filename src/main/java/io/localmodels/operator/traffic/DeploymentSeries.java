package io.localmodels.operator.traffic;

/**
 * The names LiteLLM's Prometheus callback gives its per-deployment series and labels
 * ({@code litellm/integrations/prometheus.py}, {@code litellm/types/integrations/prometheus.py}; see
 * docs/observability.md). Counters carry prometheus_client's {@code _total} suffix, each series also a
 * {@code _created} sample with its creation time.
 */
final class DeploymentSeries {

    static final String TOTAL = "litellm_deployment_total_requests";
    static final String SUCCESS = "litellm_deployment_success_responses";
    static final String FAILURE = "litellm_deployment_failure_responses";
    static final String STATE = "litellm_deployment_state";
    static final String LATENCY = "litellm_llm_api_latency_metric";

    static final String COUNTER_SUFFIX = "_total";
    static final String CREATED_SUFFIX = "_created";
    static final String BUCKET_SUFFIX = "_bucket";

    /** model_info.id of the deployment: {@code <namespace>/<LocalModel>[@<group>]} as the operator renders it. */
    static final String MODEL_ID = "model_id";
    static final String EXCEPTION_STATUS = "exception_status";
    static final String EXCEPTION_CLASS = "exception_class";
    static final String LE = "le";

    private DeploymentSeries() {
    }

    /**
     * Whether a failure is the backend's: a timeout, no answer (connection error, status "None") or a 5xx. Other 4xx
     * (bad request, unknown model, auth, limits) are the client's.
     */
    static boolean backendFailure(String status, String exceptionClass) {
        String cls = exceptionClass == null ? "" : exceptionClass;
        if (cls.endsWith("Timeout") || cls.endsWith("APIConnectionError") || cls.endsWith("ServiceUnavailableError")
                || cls.endsWith("InternalServerError")) {
            return true;
        }
        if (status == null || status.isBlank() || "None".equals(status)) {
            return true;
        }
        try {
            int code = (int) Double.parseDouble(status);
            return code == 408 || code >= 500;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** {@code litellm_deployment_state}: 0 healthy, 1 partial outage, 2 complete outage. */
    static String stateName(int state) {
        return switch (state) {
            case 0 -> "healthy";
            case 1 -> "partialOutage";
            default -> "completeOutage";
        };
    }
}
