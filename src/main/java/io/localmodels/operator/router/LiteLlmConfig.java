package io.localmodels.operator.router;

import io.localmodels.operator.api.CallbackSpec;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelDetails;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterSpec;
import io.localmodels.operator.api.RetryPolicy;
import io.localmodels.operator.api.RoutedModel;
import io.localmodels.operator.api.RouterModelStatus;
import io.localmodels.operator.api.RouterSettings;
import io.localmodels.operator.api.RoutingPolicy;
import io.localmodels.operator.config.Durations;
import io.localmodels.operator.kube.Sha256;
import io.localmodels.operator.model.OllamaAddressing;
import io.localmodels.operator.router.BackendGate.GatedModel;
import io.localmodels.operator.router.BackendGate.RoutedBackend;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The LiteLLM proxy's {@code config.yaml}, rendered from a ModelRouter and the LocalModels of its namespace (with
 * their status). Rendering is a pure function: the same inputs give the same text, byte for byte, and so the same
 * hash. Secrets appear only as {@code os.environ/NAME}.
 *
 * @param yaml          the config.yaml text
 * @param hash          sha256 (hex) of {@code yaml}
 * @param models        per model name: backends declared, healthy, and those health gating left out
 * @param degraded      some model name has no healthy backend (it is served fail-static or not at all)
 * @param degradedDetail which names are degraded and why; empty when not degraded
 * @param problems      validation problems, each naming its field; the config must not be applied when non-empty
 * @param deploymentIds the {@code model_info.id} of every deployment in {@code yaml}: which backends it routes to
 */
public record LiteLlmConfig(String yaml, String hash, List<RouterModelStatus> models, boolean degraded,
                            String degradedDetail, List<String> problems, Set<String> deploymentIds) {

    /** The extra model group that serves {@code spec.defaultModel}. */
    public static final String DEFAULT_GROUP = "default";
    public static final String FILE_NAME = "config.yaml";
    static final String MASTER_KEY_ENV = "LITELLM_MASTER_KEY";
    static final String DEFAULT_ROUTING_STRATEGY = "simple-shuffle";
    static final String PROMETHEUS_CALLBACK = "prometheus";

    public LiteLlmConfig {
        models = List.copyOf(models);
        problems = List.copyOf(problems);
        deploymentIds = Set.copyOf(deploymentIds);
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** Renders without checking Secrets (offline: {@code render} in the CLI). */
    public static LiteLlmConfig render(ModelRouter router, Map<String, LocalModel> localModels) {
        return render(router, localModels, SecretCatalog.UNCHECKED);
    }

    /** Renders the config; {@code localModels} are the LocalModels of the router's namespace by name. */
    public static LiteLlmConfig render(ModelRouter router, Map<String, LocalModel> localModels, SecretCatalog secrets) {
        return render(router, localModels, secrets, OutOfShard.NONE);
    }

    /** The same, for an operator that manages one shard: {@code outOfShard} are named backends it may not use. */
    public static LiteLlmConfig render(ModelRouter router, Map<String, LocalModel> localModels, SecretCatalog secrets,
                                       OutOfShard outOfShard) {
        return render(router, localModels, secrets, outOfShard, new EntryTexts());
    }

    /** The same, taking the text of each {@code model_list} entry the last render wrote from {@code texts}. */
    static LiteLlmConfig render(ModelRouter router, Map<String, LocalModel> localModels, SecretCatalog secrets,
                                OutOfShard outOfShard, EntryTexts texts) {
        String namespace = namespaceOf(router);
        ModelRouterSpec spec = router.getSpec();
        List<String> problems = new ArrayList<>(ModelRouterValidation.nameProblems(router.getMetadata().getName()));
        if (router.getUnreadableSpec() != null) {
            problems.add(router.getUnreadableSpec());
        } else {
            problems.addAll(ModelRouterValidation.validate(spec, namespace, localModels, secrets, outOfShard));
        }
        problems.addAll(localModelProblems(spec, localModels));
        boolean gating = spec == null || spec.getHealthGating() == null || spec.getHealthGating();
        List<GatedModel> gated = spec == null || spec.getModels() == null ? List.of()
                : spec.getModels().stream().filter(Objects::nonNull)
                        .map(m -> BackendGate.gate(m, localModels, gating)).toList();

        List<Map<String, Object>> modelList = modelList(gated, spec, namespace, localModels);
        Map<String, Object> rest = new LinkedHashMap<>();
        rest.put("router_settings", routerSettings(spec, gated));
        rest.put("litellm_settings", litellmSettings(spec));
        Map<String, Object> general = generalSettings(spec);
        if (!general.isEmpty()) {
            rest.put("general_settings", general);
        }
        String yaml = text(modelList, rest, texts);

        List<GatedModel> unhealthy = gated.stream().filter(g -> !g.hasHealthyBackend()).toList();
        String detail = unhealthy.stream().map(LiteLlmConfig::describeDegraded).collect(Collectors.joining("; "));
        Set<String> ids = new java.util.TreeSet<>();
        modelList.forEach(entry -> ids.add((String) ((Map<?, ?>) entry.get("model_info")).get("id")));
        return new LiteLlmConfig(yaml, Sha256.hex(yaml), gated.stream().map(GatedModel::status).toList(),
                !unhealthy.isEmpty(), detail, problems, ids);
    }

    /**
     * The document {@code model_list: <entries>} followed by {@code rest}'s keys, as one dump of it writes it: in
     * block style a top-level key and each item of a block sequence are written without regard to their
     * neighbours (no line splitting, no anchors: no object appears twice), so the text is the concatenation of
     * each entry's text and the rest's. An entry's text comes from {@code texts} when an earlier render wrote it.
     */
    private static String text(List<Map<String, Object>> modelList, Map<String, Object> rest, EntryTexts texts) {
        Yaml yaml = dumper();
        if (modelList.isEmpty()) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("model_list", modelList);
            root.putAll(rest);
            texts.renderDone();
            return yaml.dump(root);
        }
        StringBuilder out = new StringBuilder(MODEL_LIST_KEY);
        for (Map<String, Object> entry : modelList) {
            out.append(texts.text(entry, e -> entryText(yaml, e)));
        }
        texts.renderDone();
        return out.append(yaml.dump(rest)).toString();
    }

    private static final String MODEL_LIST_KEY = "model_list:\n";

    /** One entry as an item of the {@code model_list} block sequence, lines indented as in the whole document. */
    private static String entryText(Yaml yaml, Map<String, Object> entry) {
        String one = yaml.dump(Map.of("model_list", List.of(entry)));
        if (!one.startsWith(MODEL_LIST_KEY)) {
            throw new IllegalStateException("unexpected YAML for a model_list entry: " + one);
        }
        return one.substring(MODEL_LIST_KEY.length());
    }

    private static List<Map<String, Object>> modelList(List<GatedModel> gated, ModelRouterSpec spec, String namespace,
                                                       Map<String, LocalModel> localModels) {
        List<Map<String, Object>> list = new ArrayList<>();
        Set<String> usedIds = new HashSet<>();
        for (GatedModel g : gated) {
            DeploymentKind kind = kindOf(g, localModels);
            for (RoutedBackend b : g.routed()) {
                list.add(deployment(g.model().getName(), g, b, kind, namespace, usedIds));
            }
        }
        Optional<GatedModel> target = defaultTarget(gated, spec);
        target.ifPresent(g -> g.routed().forEach(b -> list.add(
                deployment(DEFAULT_GROUP, g, b, kindOf(g, localModels), namespace, usedIds))));
        return list;
    }

    /** From every declared backend, not only the routed ones: one not yet probed follows the others. */
    private static DeploymentKind kindOf(GatedModel g, Map<String, LocalModel> localModels) {
        List<LocalModel> declared = g.model().getBackends() == null ? List.of() : g.model().getBackends().stream()
                .filter(b -> b != null && b.getLocalModel() != null)
                .map(b -> localModels.get(b.getLocalModel())).toList();
        return DeploymentKind.ofGroup(declared);
    }

    private static Map<String, Object> deployment(String groupName, GatedModel g, RoutedBackend b,
                                                  DeploymentKind kind, String namespace, Set<String> usedIds) {
        LocalModel lm = b.localModel();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", kind.liteLlmModel(lm.getSpec().getModel()));
        params.put("api_base", endpointOf(lm));
        seconds(g.model().getTimeout()).ifPresent(s -> params.put("timeout", s));
        // retries belong to the router, which can move them to another backend; the HTTP client should not retry
        params.put("max_retries", 0);
        if (weighted(g)) {
            // simple-shuffle reads litellm_params.weight first (before rpm/tpm) for its weighted random pick
            params.put("weight", b.backend().getWeight() == null ? 1 : b.backend().getWeight());
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", deploymentId(namespace, lm.getMetadata().getName(), groupName, usedIds));
        ModelDetails details = lm.getStatus() == null ? null : lm.getStatus().getModel();
        if (kind == DeploymentKind.EMBEDDING) {
            // the proxy's health check (/health) picks aembedding for this mode instead of a chat completion
            // (proxy/health_check.py passes model_info.mode to litellm.ahealth_check)
            info.put("mode", "embedding");
        }
        if (details != null && details.getContextLength() != null) {
            // read only by Router._pre_call_checks, which embedding requests (no messages) never reach
            info.put("max_input_tokens", details.getContextLength());
        }
        if (kind == DeploymentKind.CHAT && details != null && details.getCapabilities() != null
                && details.getCapabilities().contains("tools")) {
            // LiteLLM sends native tools to an ollama_chat model only when its model info says
            // supports_function_calling (llms/ollama/chat/transformation.py); otherwise it injects them into the prompt
            info.put("supports_function_calling", true);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("model_name", groupName);
        entry.put("litellm_params", params);
        entry.put("model_info", info);
        return entry;
    }

    /** Stable and unique: {@code ns/lm} for a LocalModel's first use, {@code ns/lm@group} when it serves more groups. */
    private static String deploymentId(String namespace, String localModel, String group, Set<String> usedIds) {
        String plain = namespace + "/" + localModel;
        String id = !DEFAULT_GROUP.equals(group) && usedIds.add(plain) ? plain : plain + "@" + group;
        usedIds.add(id);
        return id;
    }

    private static boolean weighted(GatedModel g) {
        return g.model().getBackends() != null
                && g.model().getBackends().stream().anyMatch(b -> b != null && b.getWeight() != null);
    }

    private static Map<String, Object> routerSettings(ModelRouterSpec spec, List<GatedModel> gated) {
        RoutingPolicy p = spec == null || spec.getPolicy() == null ? new RoutingPolicy() : spec.getPolicy();
        Map<String, Object> out = new LinkedHashMap<>();
        String strategy = p.getRoutingStrategy();
        out.put("routing_strategy", strategy != null && ModelRouterValidation.ROUTING_STRATEGIES.contains(strategy)
                ? strategy : DEFAULT_ROUTING_STRATEGY);
        putIfSet(out, "num_retries", p.getNumRetries());
        seconds(p.getTimeout()).ifPresent(s -> out.put("timeout", s));
        List<Object> fallbacks = fallbackList(gated, spec, RoutedModel::getFallbacks);
        if (!fallbacks.isEmpty()) {
            out.put("fallbacks", fallbacks);
        }
        List<Object> contextFallbacks = fallbackList(gated, spec, RoutedModel::getContextWindowFallbacks);
        if (!contextFallbacks.isEmpty()) {
            out.put("context_window_fallbacks", contextFallbacks);
            // Ollama truncates an over-long prompt instead of failing, so LiteLLM must check max_input_tokens itself
            out.put("enable_pre_call_checks", true);
        }
        if (p.getAllowedFails() != null) {
            out.put("allowed_fails", p.getAllowedFails());
            // LiteLLM counts failures against allowed_fails only when allowed_fails differs from its default (3) or
            // an allowed_fails_policy is set (router_utils/cooldown_handlers.py); the policy makes every value count.
            // Errors the policy has no entry for fall back to allowed_fails.
            out.put("allowed_fails_policy", Map.of("TimeoutErrorAllowedFails", p.getAllowedFails()));
        }
        seconds(p.getCooldown()).ifPresent(s -> out.put("cooldown_time", s));
        RetryPolicy r = p.getRetryPolicy();
        if (r != null) {
            // no InternalServerErrorRetries: LiteLLM 1.80 never reads it (validation rejects the field)
            Map<String, Object> retry = new LinkedHashMap<>();
            putIfSet(retry, "TimeoutErrorRetries", r.getTimeout());
            putIfSet(retry, "RateLimitErrorRetries", r.getRateLimit());
            if (!retry.isEmpty()) {
                out.put("retry_policy", retry);
            }
        }
        return out;
    }

    private static List<Object> fallbackList(List<GatedModel> gated, ModelRouterSpec spec,
                                             Function<RoutedModel, List<String>> field) {
        List<Object> out = new ArrayList<>();
        for (GatedModel g : gated) {
            List<String> targets = field.apply(g.model());
            if (g.model().getName() != null && targets != null && !targets.isEmpty()) {
                out.add(Map.of(g.model().getName(), List.copyOf(targets)));
            }
        }
        defaultTarget(gated, spec).map(g -> field.apply(g.model()))
                .filter(t -> !t.isEmpty())
                .ifPresent(t -> out.add(Map.of(DEFAULT_GROUP, List.copyOf(t))));
        return out;
    }

    private static Map<String, Object> litellmSettings(ModelRouterSpec spec) {
        RouterSettings s = spec == null || spec.getSettings() == null ? new RouterSettings() : spec.getSettings();
        Map<String, Object> out = new LinkedHashMap<>();
        putIfSet(out, "drop_params", s.getDropParams());
        out.put("json_logs", true);
        // per-deployment request, failure and latency series (integrations/prometheus.py), labelled with
        // model_info.id: the operator reads them to judge busy backends by their users' requests (traffic/)
        out.put("callbacks", List.of(PROMETHEUS_CALLBACK));
        // 1.80.11 serves /metrics without a key by default; newer releases flip it: say it, so the scrape keeps working
        out.put("require_auth_for_metrics_endpoint", false);
        List<CallbackSpec> langfuse = spec == null || spec.getCallbacks() == null ? List.of()
                : spec.getCallbacks().stream().filter(c -> c != null && "langfuse".equals(c.getType())).toList();
        if (langfuse.stream().anyMatch(c -> on(c, "success"))) {
            out.put("success_callback", List.of("langfuse"));
        }
        if (langfuse.stream().anyMatch(c -> on(c, "failure"))) {
            out.put("failure_callback", List.of("langfuse"));
        }
        return out;
    }

    private static boolean on(CallbackSpec c, String event) {
        return c.getEvents() == null || c.getEvents().isEmpty() || c.getEvents().contains(event);
    }

    private static Map<String, Object> generalSettings(ModelRouterSpec spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (spec != null && spec.getMasterKeySecretRef() != null) {
            out.put("master_key", "os.environ/" + MASTER_KEY_ENV);
        }
        return out;
    }

    /** A backend LocalModel that exists but lacks what rendering needs is a problem of this router's config. */
    private static List<String> localModelProblems(ModelRouterSpec spec, Map<String, LocalModel> localModels) {
        List<String> out = new ArrayList<>();
        if (spec == null || spec.getModels() == null) {
            return out;
        }
        for (int i = 0; i < spec.getModels().size(); i++) {
            RoutedModel m = spec.getModels().get(i);
            if (m == null || m.getBackends() == null) {
                continue;
            }
            for (int j = 0; j < m.getBackends().size(); j++) {
                var b = m.getBackends().get(j);
                LocalModel lm = b == null || b.getLocalModel() == null ? null : localModels.get(b.getLocalModel());
                if (lm != null && (lm.getSpec() == null || lm.getSpec().getModel() == null)) {
                    out.add("spec.models[" + i + "].backends[" + j + "].localModel: LocalModel '"
                            + b.getLocalModel() + "' has no spec.model");
                }
            }
        }
        return out;
    }

    private static Optional<GatedModel> defaultTarget(List<GatedModel> gated, ModelRouterSpec spec) {
        if (spec == null || spec.getDefaultModel() == null) {
            return Optional.empty();
        }
        return gated.stream().filter(g -> spec.getDefaultModel().equals(g.model().getName())).findFirst();
    }

    /**
     * status.endpoint; for a backend kept fail-static before it has one: where its status will point (the external
     * URL or its Service). Without a trailing slash: LiteLLM appends {@code /api/chat}
     * ({@code OllamaChatConfig.get_complete_url}) or {@code /api/embed} ({@code ollama_embeddings}) to api_base as
     * given, so a trailing slash would become {@code //api/chat}.
     */
    static String endpointOf(LocalModel lm) {
        if (lm.getStatus() != null && lm.getStatus().getEndpoint() != null && !lm.getStatus().getEndpoint().isBlank()) {
            return withoutTrailingSlash(lm.getStatus().getEndpoint());
        }
        String planned = OllamaAddressing.inCluster().serviceEndpoint(lm);
        return planned == null ? null : withoutTrailingSlash(planned);
    }

    private static String withoutTrailingSlash(String url) {
        String out = url.strip();
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }

    private static String describeDegraded(GatedModel g) {
        String reasons = g.unhealthy().stream().map(e -> e.getLocalModel() + ": " + e.getReason())
                .collect(Collectors.joining(", "));
        String what = g.routed().isEmpty() ? "no backend to route to" : "serving all backends (fail static)";
        return g.model().getName() + " has no healthy backend (" + reasons + "); " + what;
    }

    static String namespaceOf(ModelRouter router) {
        String ns = router.getMetadata() == null ? null : router.getMetadata().getNamespace();
        return ns == null ? "default" : ns;
    }

    /** Whole seconds as an integer, otherwise a decimal; empty when absent or not a duration. */
    private static Optional<Number> seconds(String text) {
        try {
            Duration d = Durations.parse(text, null);
            if (d == null) {
                return Optional.empty();
            }
            long ms = d.toMillis();
            return Optional.of(ms % 1000 == 0 ? (Number) (ms / 1000) : (Number) (ms / 1000.0));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** The {@code model_info.id} of every deployment in a rendered config.yaml: which backends it routes to. */
    @SuppressWarnings("unchecked")
    static Set<String> deploymentIds(String configYaml) {
        Set<String> ids = new java.util.TreeSet<>();
        Object root = new Yaml().load(configYaml);
        if (root instanceof Map<?, ?> map && map.get("model_list") instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> m && m.get("model_info") instanceof Map<?, ?> info && info.get("id") != null) {
                    ids.add(String.valueOf(info.get("id")));
                }
            }
        }
        return ids;
    }

    /**
     * Whether {@code next} only takes backends out of {@code current}: leaving a failing model is urgent, coming
     * back can wait for the rollout interval ("fail fast, recover slowly").
     */
    static boolean onlyRemovesBackends(String current, String next) {
        return onlyRemovesBackends(deploymentIds(current), deploymentIds(next));
    }

    /** The same, from the deployment ids of the two configs. */
    static boolean onlyRemovesBackends(Set<String> current, Set<String> next) {
        return current.containsAll(next) && current.size() > next.size();
    }

    /** How config.yaml is written (a Yaml is not thread-safe: one per render). */
    static Yaml dumper() {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(2);
        o.setIndentWithIndicator(true);
        o.setSplitLines(false);
        return new Yaml(o);
    }
}
