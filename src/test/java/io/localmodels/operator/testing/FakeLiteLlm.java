package io.localmodels.operator.testing;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One LiteLLM proxy process (one pod, one worker) as its Prometheus callback shows it: the page prometheus_client's
 * ASGI app serves at {@code /metrics/} ({@code /metrics} redirects there, as Starlette's mount does), with the
 * per-deployment series and labels of {@code litellm/integrations/prometheus.py} and
 * {@code litellm/types/integrations/prometheus.py} (see docs/observability.md): counters with {@code _total} and
 * {@code _created} samples, the latency histogram with {@code model_id}, the deployment state gauge. Tests drive the
 * counters ({@link #succeed}, {@link #fail}), {@link #restart} the process (every series starts again from zero
 * with a new creation time) or make it {@link #unreachable}. A fake given the proxy's {@link #load config} labels
 * each deployment's series with its group and {@code api_base} from it, as LiteLLM does; without one they are
 * derived from the id.
 */
public final class FakeLiteLlm extends Dispatcher {

    /** LATENCY_BUCKETS of the newer stored version (up to 600 s); the operator reads whatever {@code le} it finds. */
    static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0,
            120.0, 300.0, 420.0, 600.0, Double.POSITIVE_INFINITY};
    /** The master key's hash and no alias or team: requests made with the master key, as our users' are. */
    private static final String KEY_HASH = "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b";

    /** A deployment's counters since the process started. */
    private static final class Deployment {
        final String modelId;
        final String group;
        final String apiBase;
        double created;
        long success;
        final Map<List<String>, Long> failures = new LinkedHashMap<>(); // [status, class] → count
        final Map<List<String>, Double> failuresCreated = new LinkedHashMap<>();
        final long[] latencyBuckets = new long[LATENCY_BUCKETS.length];
        double latencySum;
        Integer state;

        Deployment(String modelId, String group, String apiBase, double created) {
            this.modelId = modelId;
            this.group = group;
            this.apiBase = apiBase;
            this.created = created;
        }

        long total() {
            return success + failures.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Clock clock;
    private final Map<String, Deployment> deployments = new TreeMap<>();
    /** From the loaded config: model_info.id → [model_name, api_base]; empty when none was loaded. */
    private final Map<String, List<String>> config = new TreeMap<>();
    private final AtomicInteger scrapes = new AtomicInteger();
    private volatile boolean unreachable;
    /** Runs before each page is served: the users' requests since the last scrape. */
    private volatile Runnable betweenScrapes = () -> { };

    public FakeLiteLlm() {
        this(Clock.systemUTC());
    }

    /** @param clock gives the series' creation times ({@code _created}, Unix seconds) */
    public FakeLiteLlm(Clock clock) {
        this.clock = clock;
    }

    /** {@code n} successful calls to the deployment {@code modelId} (its model_info.id), each taking {@code latency}. */
    public synchronized FakeLiteLlm succeed(String modelId, int n, Duration latency) {
        Deployment d = deployment(modelId);
        d.success += n;
        double seconds = latency.toMillis() / 1000.0;
        for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
            if (seconds <= LATENCY_BUCKETS[i]) {
                d.latencyBuckets[i] += n;
            }
        }
        d.latencySum += seconds * n;
        d.state = 0; // set_deployment_healthy on every success
        return this;
    }

    /**
     * {@code n} failed calls: {@code status} as LiteLLM writes {@code str(exception.status_code)} ("500", "408",
     * "None"), {@code exceptionClass} as {@code _get_exception_class_name} does ({@code Ollama_chat.Timeout}).
     */
    public synchronized FakeLiteLlm fail(String modelId, int n, String status, String exceptionClass) {
        Deployment d = deployment(modelId);
        List<String> key = List.of(status, exceptionClass);
        d.failures.merge(key, (long) n, Long::sum);
        d.failuresCreated.putIfAbsent(key, now());
        d.state = 1; // set_deployment_partial_outage on every failure
        return this;
    }

    /**
     * The proxy started with {@code configYaml} (its {@code config.yaml}, as the operator renders it): every
     * {@code model_list} entry's {@code model_info.id}, with its {@code model_name} and {@code litellm_params.api_base},
     * which label that deployment's series. Series still appear only with the first request, as in LiteLLM.
     */
    public synchronized FakeLiteLlm load(String configYaml) {
        config.clear();
        Object root = new org.yaml.snakeyaml.Yaml().load(configYaml);
        if (root instanceof Map<?, ?> map && map.get("model_list") instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> m && m.get("model_info") instanceof Map<?, ?> info && info.get("id") != null
                        && m.get("litellm_params") instanceof Map<?, ?> params) {
                    config.put(String.valueOf(info.get("id")),
                            List.of(String.valueOf(m.get("model_name")), String.valueOf(params.get("api_base"))));
                }
            }
        }
        return this;
    }

    /** Whether the loaded config has the deployment {@code modelId}, so users' requests can reach it. */
    public synchronized boolean routes(String modelId) {
        return config.containsKey(modelId);
    }

    /** The process restarted: every series is gone and starts again, created anew. */
    public synchronized void restart() {
        deployments.clear();
    }

    /** Whether connections are cut before any answer (the pod's process is gone or hangs up). */
    public void unreachable(boolean cut) {
        this.unreachable = cut;
    }

    /**
     * The users' requests that arrive between two scrapes, e.g. {@code () -> proxy.succeed(id, 10, latency)}: run
     * before each page is served, so that every period has traffic without the test waiting for time to pass.
     */
    public void betweenScrapes(Runnable traffic) {
        this.betweenScrapes = traffic;
    }

    /** Metrics pages served. */
    public int scrapes() {
        return scrapes.get();
    }

    private Deployment deployment(String modelId) {
        List<String> configured = config.get(modelId);
        if (configured != null) {
            return deployments.computeIfAbsent(modelId, id -> new Deployment(id, configured.get(0), configured.get(1), now()));
        }
        return deployments.computeIfAbsent(modelId, id -> new Deployment(id, group(id), "http://" + id.replace('/', '.')
                .replaceAll("@.*", "") + ".svc.cluster.local:11434", now()));
    }

    private static String group(String modelId) {
        int at = modelId.indexOf('@');
        return at < 0 ? "model" : modelId.substring(at + 1);
    }

    private double now() {
        return clock.millis() / 1000.0;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (unreachable) {
            return new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
        }
        String path = request.getUrl().encodedPath();
        if ("/metrics".equals(path)) {
            return new MockResponse.Builder().code(307).addHeader("Location", "/metrics/").build();
        }
        if (!"/metrics/".equals(path)) {
            return new MockResponse.Builder().code(404).body("{\"detail\":\"Not Found\"}").build();
        }
        betweenScrapes.run();
        scrapes.incrementAndGet();
        return new MockResponse.Builder().code(200)
                .addHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").body(page()).build();
    }

    /** The page as prometheus_client's text format writes it. */
    public synchronized String page() {
        StringBuilder out = new StringBuilder();
        family(out, "litellm_deployment_success_responses", "counter",
                "LLM Deployment Analytics - Total number of successful LLM API calls via litellm");
        for (Deployment d : deployments.values()) {
            if (d.success > 0) {
                counter(out, "litellm_deployment_success_responses", requestLabels(d), d.success, d.created);
            }
        }
        family(out, "litellm_deployment_failure_responses", "counter",
                "LLM Deployment Analytics - Total number of failed LLM API calls for a specific LLM deploymeny. "
                        + "exception_status is the status of the exception from the llm api");
        for (Deployment d : deployments.values()) {
            d.failures.forEach((key, n) -> counter(out, "litellm_deployment_failure_responses",
                    failureLabels(d, key.get(0), key.get(1)), n, d.failuresCreated.get(key)));
        }
        family(out, "litellm_deployment_total_requests", "counter",
                "LLM Deployment Analytics - Total number of LLM API calls via litellm - success + failure");
        for (Deployment d : deployments.values()) {
            counter(out, "litellm_deployment_total_requests", requestLabels(d), d.total(), d.created);
        }
        out.append("# HELP litellm_deployment_state LLM Deployment Analytics - The state of the deployment: 0 = "
                + "healthy, 1 = partial outage, 2 = complete outage\n# TYPE litellm_deployment_state gauge\n");
        for (Deployment d : deployments.values()) {
            if (d.state != null) {
                out.append("litellm_deployment_state").append(labels(stateLabels(d))).append(' ')
                        .append(number(d.state)).append('\n');
            }
        }
        out.append("# HELP litellm_llm_api_latency_metric Total latency (seconds) for a models LLM API call\n"
                + "# TYPE litellm_llm_api_latency_metric histogram\n");
        for (Deployment d : deployments.values()) {
            if (d.success == 0) {
                continue;
            }
            Map<String, String> l = latencyLabels(d);
            for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
                Map<String, String> withLe = new LinkedHashMap<>(l);
                withLe.put("le", Double.isInfinite(LATENCY_BUCKETS[i]) ? "+Inf" : String.valueOf(LATENCY_BUCKETS[i]));
                out.append("litellm_llm_api_latency_metric_bucket").append(labels(withLe)).append(' ')
                        .append(number(d.latencyBuckets[i])).append('\n');
            }
            out.append("litellm_llm_api_latency_metric_count").append(labels(l)).append(' ').append(number(d.success)).append('\n');
            out.append("litellm_llm_api_latency_metric_sum").append(labels(l)).append(' ').append(d.latencySum).append('\n');
            out.append("litellm_llm_api_latency_metric_created").append(labels(l)).append(' ').append(d.created).append('\n');
        }
        return out.toString();
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        // prometheus_client's text format names a counter family with its _total suffix
        out.append("# HELP ").append(name).append("_total ").append(help).append('\n')
                .append("# TYPE ").append(name).append("_total ").append(type).append('\n');
    }

    private static void counter(StringBuilder out, String name, Map<String, String> labels, long value, double created) {
        out.append(name).append("_total").append(labels(labels)).append(' ').append(number(value)).append('\n');
        out.append(name).append("_created").append(labels(labels)).append(' ').append(created).append('\n');
    }

    /** requested_model, litellm_model_name, model_id, api_base, api_provider, key and team labels, in that order. */
    private static Map<String, String> requestLabels(Deployment d) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("requested_model", d.group);
        l.put("litellm_model_name", d.group);
        l.put("model_id", d.modelId);
        l.put("api_base", d.apiBase);
        l.put("api_provider", "ollama_chat");
        l.put("hashed_api_key", KEY_HASH);
        l.put("api_key_alias", "None");
        l.put("team", "None");
        l.put("team_alias", "None");
        return l;
    }

    private static Map<String, String> failureLabels(Deployment d, String status, String cls) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("requested_model", d.group);
        l.put("litellm_model_name", d.group);
        l.put("model_id", d.modelId);
        l.put("api_base", d.apiBase);
        l.put("api_provider", "ollama_chat");
        l.put("exception_status", status);
        l.put("exception_class", cls);
        l.put("hashed_api_key", KEY_HASH);
        l.put("api_key_alias", "None");
        l.put("team", "None");
        l.put("team_alias", "None");
        return l;
    }

    private static Map<String, String> stateLabels(Deployment d) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("litellm_model_name", d.group);
        l.put("model_id", d.modelId);
        l.put("api_base", d.apiBase);
        l.put("api_provider", "ollama_chat");
        return l;
    }

    private static Map<String, String> latencyLabels(Deployment d) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("model", d.group);
        l.put("hashed_api_key", KEY_HASH);
        l.put("api_key_alias", "None");
        l.put("team", "None");
        l.put("team_alias", "None");
        l.put("requested_model", d.group);
        l.put("end_user", "None");
        l.put("user", "None");
        l.put("model_id", d.modelId);
        return l;
    }

    private static String labels(Map<String, String> labels) {
        List<String> parts = new ArrayList<>();
        labels.forEach((k, v) -> parts.add(k + "=\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\""));
        return "{" + String.join(",", parts) + "}";
    }

    /** prometheus_client writes floats: 3 is "3.0". */
    private static String number(long value) {
        return value + ".0";
    }
}
