package io.localmodels.operator.router;

import io.localmodels.operator.kube.KubernetesNames;

import io.localmodels.operator.api.Backend;
import io.localmodels.operator.api.CallbackSpec;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouterSpec;
import io.localmodels.operator.api.RetryPolicy;
import io.localmodels.operator.api.RoutedModel;
import io.localmodels.operator.api.RouterSettings;
import io.localmodels.operator.api.RoutingPolicy;
import io.localmodels.operator.api.SecretKeyRef;
import io.localmodels.operator.config.Durations;
import io.localmodels.operator.config.OperatorConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a ModelRouter spec against itself, the LocalModels of its namespace and the Secrets it names. Each problem
 * is one message that starts with the field it is about ({@code spec.models[1].fallbacks[0]: ...}).
 */
public final class ModelRouterValidation {

    static final List<String> ROUTING_STRATEGIES =
            List.of("simple-shuffle", "least-busy", "latency-based-routing", "usage-based-routing-v2");
    static final List<String> LOG_LEVELS = List.of("DEBUG", "INFO", "WARNING", "ERROR");
    static final List<String> CALLBACK_TYPES = List.of("langfuse");
    static final List<String> CALLBACK_EVENTS = List.of("success", "failure");
    static final List<String> LANGFUSE_KEYS = List.of("LANGFUSE_PUBLIC_KEY", "LANGFUSE_SECRET_KEY");
    /**
     * At every start LiteLLM's database mode runs Prisma migrations ({@code PrismaManager.setup_database}); the
     * standard image generated Prisma as root, so as uid 1000 the proxy fails to start. Refused rather than shipped
     * broken; see docs/routing.md.
     */
    static final String DATABASE_REFUSED = "spec.databaseUrlSecretRef: database mode is not supported: at every start"
            + " LiteLLM runs Prisma migrations, which fail as the non-root user (uid " + ProxyResources.RUN_AS_USER
            + ") the proxy runs as; remove it";

    private final List<String> problems = new ArrayList<>();
    private final Map<String, LocalModel> localModels;
    private final SecretCatalog secrets;
    private final String namespace;
    private final OutOfShard outOfShard;

    private ModelRouterValidation(String namespace, Map<String, LocalModel> localModels, SecretCatalog secrets,
                                  OutOfShard outOfShard) {
        this.namespace = namespace;
        this.localModels = localModels;
        this.secrets = secrets;
        this.outOfShard = outOfShard;
    }

    /** All problems of the spec; empty when it is valid. */
    public static List<String> validate(ModelRouterSpec spec, String namespace, Map<String, LocalModel> localModels,
                                        SecretCatalog secrets) {
        return validate(spec, namespace, localModels, secrets, OutOfShard.NONE);
    }

    /** The same, telling a backend outside the operator's shard from one that does not exist. */
    public static List<String> validate(ModelRouterSpec spec, String namespace, Map<String, LocalModel> localModels,
                                        SecretCatalog secrets, OutOfShard outOfShard) {
        ModelRouterValidation v = new ModelRouterValidation(namespace, localModels, secrets, outOfShard);
        if (spec == null) {
            v.problems.add("spec: is required");
            return v.problems;
        }
        v.models(spec);
        v.policy(spec.getPolicy());
        v.settings(spec.getSettings());
        v.callbacks(spec.getCallbacks());
        v.secretKey("spec.masterKeySecretRef", spec.getMasterKeySecretRef());
        if (spec.getDatabaseUrlSecretRef() != null) {
            v.problems.add(DATABASE_REFUSED);
        }
        return List.copyOf(v.problems);
    }


    /**
     * The router's name names the proxy's Deployment, Service and ConfigMap: a Service name must be a DNS label
     * (at most 63 characters, no dots), which a custom resource's name need not be.
     */
    public static List<String> nameProblems(String name) {
        if (name != null && !KubernetesNames.isServiceName(name, 63)) {
            return List.of("metadata.name: '" + name + "' must be a DNS label of at most 63 characters (lower case"
                    + " letters, digits and '-', starting with a letter): it names the proxy's Service");
        }
        return List.of();
    }

    private void models(ModelRouterSpec spec) {
        List<RoutedModel> models = spec.getModels();
        if (models == null || models.isEmpty()) {
            problems.add("spec.models: at least one model is required");
            return;
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < models.size(); i++) {
            RoutedModel m = models.get(i);
            String at = "spec.models[" + i + "]";
            if (m == null) {
                problems.add(at + ": is empty");
                continue;
            }
            if (m.getName() == null || m.getName().isBlank()) {
                problems.add(at + ".name: is required");
            } else if (firstIndex.containsKey(m.getName())) {
                problems.add(at + ".name: '" + m.getName() + "' is already used by spec.models["
                        + firstIndex.get(m.getName()) + "]");
            } else {
                firstIndex.put(m.getName(), i);
                if (LiteLlmConfig.DEFAULT_GROUP.equals(m.getName()) && spec.getDefaultModel() != null) {
                    problems.add(at + ".name: '" + LiteLlmConfig.DEFAULT_GROUP
                            + "' is reserved for spec.defaultModel");
                }
            }
            backends(at, m.getBackends());
            duration(at + ".timeout", m.getTimeout());
        }
        Set<String> names = firstIndex.keySet();
        for (int i = 0; i < models.size(); i++) {
            RoutedModel m = models.get(i);
            if (m != null) {
                references("spec.models[" + i + "].fallbacks", m.getName(), m.getFallbacks(), names);
                references("spec.models[" + i + "].contextWindowFallbacks", m.getName(), m.getContextWindowFallbacks(), names);
            }
        }
        cycles(models, "fallbacks", RoutedModel::getFallbacks);
        cycles(models, "contextWindowFallbacks", RoutedModel::getContextWindowFallbacks);
        if (spec.getDefaultModel() != null && !names.contains(spec.getDefaultModel())) {
            problems.add("spec.defaultModel: '" + spec.getDefaultModel() + "' is not a model name of this router"
                    + known(names));
        }
    }

    private void backends(String at, List<Backend> backends) {
        if (backends == null || backends.isEmpty()) {
            problems.add(at + ".backends: at least one backend is required");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < backends.size(); j++) {
            Backend b = backends.get(j);
            String bat = at + ".backends[" + j + "]";
            if (b == null || b.getLocalModel() == null || b.getLocalModel().isBlank()) {
                problems.add(bat + ".localModel: is required");
                continue;
            }
            if (!seen.add(b.getLocalModel())) {
                problems.add(bat + ".localModel: '" + b.getLocalModel() + "' is listed twice for this model");
            }
            if (outOfShard.names().contains(b.getLocalModel())) {
                problems.add(bat + ".localModel: " + outOfShard.problem(b.getLocalModel(), namespace));
            } else if (!localModels.containsKey(b.getLocalModel())) {
                problems.add(bat + ".localModel: LocalModel '" + b.getLocalModel() + "' not found in namespace "
                        + namespace);
            }
            if (b.getWeight() != null && b.getWeight() < 1) {
                problems.add(bat + ".weight: must be at least 1, was " + b.getWeight());
            }
        }
        mixedKinds(at, backends);
    }

    /**
     * Chat and embedding backends under one name: LiteLLM would send chat requests to a model that refuses /api/chat
     * and embedding requests to one behind ollama_chat, which has no embeddings. Backends whose capabilities are not
     * known yet are not judged.
     */
    private void mixedKinds(String at, List<Backend> backends) {
        Integer first = null;
        DeploymentKind firstKind = null;
        for (int j = 0; j < backends.size(); j++) {
            Backend b = backends.get(j);
            Optional<DeploymentKind> kind = b == null || b.getLocalModel() == null ? Optional.empty()
                    : DeploymentKind.of(localModels.get(b.getLocalModel()));
            if (kind.isEmpty()) {
                continue;
            }
            if (firstKind == null) {
                first = j;
                firstKind = kind.get();
            } else if (kind.get() != firstKind) {
                problems.add(at + ".backends[" + j + "].localModel: LocalModel '" + b.getLocalModel() + "' serves "
                        + served(kind.get()) + " but backends[" + first + "] '" + backends.get(first).getLocalModel()
                        + "' serves " + served(firstKind) + "; one model name serves one kind, give each its own name");
            }
        }
    }

    private static String served(DeploymentKind kind) {
        return kind == DeploymentKind.EMBEDDING ? "embeddings (capabilities: embedding, no completion)" : "chat";
    }

    private void references(String at, String self, List<String> targets, Set<String> names) {
        if (targets == null) {
            return;
        }
        for (int k = 0; k < targets.size(); k++) {
            String t = targets.get(k);
            if (t != null && t.equals(self)) {
                problems.add(at + "[" + k + "]: '" + t + "' falls back to itself");
            } else if (t == null || !names.contains(t)) {
                problems.add(at + "[" + k + "]: '" + t + "' is not a model name of this router" + known(names));
            }
        }
    }

    /** Cycles of two or more names (self-references are reported per entry); each cycle reported once. */
    private void cycles(List<RoutedModel> models, String field, Function<RoutedModel, List<String>> edges) {
        Map<String, List<String>> graph = new LinkedHashMap<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < models.size(); i++) {
            RoutedModel m = models.get(i);
            if (m != null && m.getName() != null && !graph.containsKey(m.getName())) {
                List<String> out = edges.apply(m) == null ? List.of() : edges.apply(m);
                graph.put(m.getName(), out.stream().filter(t -> t != null && !t.equals(m.getName())).toList());
                index.put(m.getName(), i);
            }
        }
        Set<Set<String>> reported = new HashSet<>();
        for (String start : graph.keySet()) {
            List<String> cycle = findCycle(start, graph, new ArrayList<>(), new HashSet<>());
            if (cycle != null && reported.add(Set.copyOf(cycle))) {
                problems.add("spec.models[" + index.get(start) + "]." + field + ": fallback cycle "
                        + String.join(" → ", cycle) + " → " + start);
            }
        }
    }

    private static List<String> findCycle(String node, Map<String, List<String>> graph, List<String> path,
                                          Set<String> visited) {
        path.add(node);
        visited.add(node);
        for (String next : graph.getOrDefault(node, List.of())) {
            if (next.equals(path.get(0))) {
                return List.copyOf(path);
            }
            if (!visited.contains(next)) {
                List<String> found = findCycle(next, graph, path, visited);
                if (found != null) {
                    return found;
                }
            }
        }
        path.remove(path.size() - 1);
        return null;
    }

    private void policy(RoutingPolicy p) {
        if (p == null) {
            return;
        }
        oneOf("spec.policy.routingStrategy", p.getRoutingStrategy(), ROUTING_STRATEGIES);
        nonNegative("spec.policy.numRetries", p.getNumRetries());
        nonNegative("spec.policy.allowedFails", p.getAllowedFails());
        duration("spec.policy.timeout", p.getTimeout());
        duration("spec.policy.cooldown", p.getCooldown());
        RetryPolicy r = p.getRetryPolicy();
        if (r != null) {
            nonNegative("spec.policy.retryPolicy.timeout", r.getTimeout());
            if (r.getInternalServerError() != null) {
                // get_num_retries_from_retry_policy (router_utils/get_retry_from_policy.py) has no branch for it
                problems.add("spec.policy.retryPolicy.internalServerError: LiteLLM " + OperatorConfig.LITELLM_VERSION
                        + " never reads InternalServerErrorRetries, so it would have no effect; remove it (500s are"
                        + " retried spec.policy.numRetries times)");
            }
            nonNegative("spec.policy.retryPolicy.rateLimit", r.getRateLimit());
        }
    }

    private void settings(RouterSettings s) {
        if (s == null) {
            return;
        }
        oneOf("spec.settings.logLevel", s.getLogLevel(), LOG_LEVELS);
        // LiteLLM's global max_budget is checked in auth_checks.common_checks, which master-key requests skip; it
        // reads spend from the database (not supported here), and Ollama models cost $0 without prices
        if (s.getMaxBudget() != null) {
            problems.add("spec.settings.maxBudget: LiteLLM would not enforce it: its global budget needs database"
                    + " mode (not supported), is skipped for master-key requests and counts Ollama models at $0;"
                    + " remove it");
        }
        if (s.getBudgetDuration() != null) {
            problems.add("spec.settings.budgetDuration: resets a budget LiteLLM does not enforce here (see"
                    + " spec.settings.maxBudget); remove it");
        }
    }

    private void callbacks(List<CallbackSpec> callbacks) {
        if (callbacks == null) {
            return;
        }
        for (int i = 0; i < callbacks.size(); i++) {
            CallbackSpec c = callbacks.get(i);
            String at = "spec.callbacks[" + i + "]";
            if (c == null) {
                problems.add(at + ": is empty");
                continue;
            }
            if (c.getType() == null) {
                problems.add(at + ".type: is required");
            } else {
                oneOf(at + ".type", c.getType(), CALLBACK_TYPES);
            }
            if (c.getEvents() != null) {
                for (int k = 0; k < c.getEvents().size(); k++) {
                    oneOf(at + ".events[" + k + "]", c.getEvents().get(k), CALLBACK_EVENTS);
                }
            }
            if ("langfuse".equals(c.getType())) {
                if (c.getSecretRef() == null || c.getSecretRef().isBlank()) {
                    problems.add(at + ".secretRef: a langfuse callback needs a Secret with "
                            + String.join(" and ", LANGFUSE_KEYS));
                } else if (secrets.checked()) {
                    var keys = secrets.keys(c.getSecretRef());
                    if (keys.isEmpty()) {
                        problems.add(at + ".secretRef: Secret '" + c.getSecretRef() + "' not found in namespace "
                                + namespace);
                    } else {
                        for (String k : LANGFUSE_KEYS) {
                            if (!keys.get().contains(k)) {
                                problems.add(at + ".secretRef: Secret '" + c.getSecretRef() + "' has no key " + k);
                            }
                        }
                    }
                }
            }
        }
    }

    private void secretKey(String at, SecretKeyRef ref) {
        if (ref == null) {
            return;
        }
        if (ref.getName() == null || ref.getName().isBlank()) {
            problems.add(at + ".name: is required");
            return;
        }
        if (ref.getKey() == null || ref.getKey().isBlank()) {
            problems.add(at + ".key: is required");
            return;
        }
        if (secrets.checked()) {
            var keys = secrets.keys(ref.getName());
            if (keys.isEmpty()) {
                problems.add(at + ".name: Secret '" + ref.getName() + "' not found in namespace " + namespace);
            } else if (!keys.get().contains(ref.getKey())) {
                problems.add(at + ".key: Secret '" + ref.getName() + "' has no key " + ref.getKey());
            }
        }
    }

    private void duration(String at, String text) {
        try {
            Durations.parse(text, null);
        } catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage());
        }
    }

    private void oneOf(String at, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            problems.add(at + ": '" + value + "' is not one of " + String.join(", ", allowed));
        }
    }

    private void nonNegative(String at, Integer value) {
        if (value != null && value < 0) {
            problems.add(at + ": must not be negative, was " + value);
        }
    }

    private static String known(Set<String> names) {
        return names.isEmpty() ? "" : " (known: " + String.join(", ", names.stream().sorted().toList()) + ")";
    }
}
