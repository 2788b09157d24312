package io.localmodels.operator.model;

import io.localmodels.operator.kube.KubernetesNames;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.localmodels.operator.api.GpuSpec;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelSpec;
import io.localmodels.operator.api.OllamaSpec;
import io.localmodels.operator.health.CircuitSettings;
import io.localmodels.operator.health.ProbeSettings;
import io.localmodels.operator.ollama.KeepAlive;
import io.localmodels.operator.ollama.ModelName;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a LocalModel the way the CRD schema would, and more (names Kubernetes objects can carry). The real API
 * server rejects most of this at apply time; the operator checks again because not every path enforces the schema,
 * and a clear condition beats a crash loop. Each problem names its field.
 */
public final class LocalModelValidation {

    private static final Pattern RESOURCE_NAME = Pattern.compile("^[A-Za-z0-9.-]+/[A-Za-z0-9._-]+$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
    private static final Pattern ENV_NAME = Pattern.compile("^[-._a-zA-Z][-._a-zA-Z0-9]*$");
    /** StatefulSet pods carry a controller-revision-hash label of name + 11 characters, at most 63. */
    static final int MAX_MANAGED_NAME = 52;
    private static final int MAX_GROUPS = 32;

    private final List<String> problems = new ArrayList<>();

    private LocalModelValidation() {
    }

    /** Every problem found, each prefixed with the field it is about; empty when the resource is valid. */
    public static List<String> problems(LocalModel lm) {
        LocalModelValidation v = new LocalModelValidation();
        v.check(lm);
        if (lm.getSpec() != null) {
            // the probe and breaker rules live where the health monitor resolves them
            v.problems.addAll(ProbeSettings.problems(lm.getSpec().getProbe()));
            v.problems.addAll(CircuitSettings.problems(lm.getSpec().getCircuitBreaker()));
        }
        return List.copyOf(v.problems);
    }

    private void check(LocalModel lm) {
        LocalModelSpec spec = lm.getSpec();
        if (spec == null) {
            problems.add(lm.getUnreadableSpec() != null ? lm.getUnreadableSpec() : "spec: required");
            return;
        }
        String model = spec.getModel();
        if (model == null || model.isBlank()) {
            problems.add("spec.model: required (an Ollama model reference such as qwen3:30b)");
        } else if (model.length() > 255) {
            problems.add("spec.model: longer than 255 characters");
        } else if (!ModelName.parse(model).isValid()) {
            // what Ollama's pull answers with 400 "invalid model name"
            problems.add("spec.model: '" + abbreviate(model) + "' is not an Ollama model reference"
                    + " ([host/][namespace/]model[:tag]: letters, digits, '_', '-' and '.', no '.' in a namespace)");
        }
        if (spec.getExternal() != null) {
            checkExternal(spec);
        } else {
            checkManaged(lm.getMetadata().getName(), spec);
        }
    }

    private void checkExternal(LocalModelSpec spec) {
        List<String> clash = new ArrayList<>();
        if (spec.getReplicas() != null) clash.add("replicas");
        if (spec.getGpu() != null) clash.add("gpu");
        if (spec.getStorage() != null) clash.add("storage");
        if (spec.getImage() != null) clash.add("image");
        if (!clash.isEmpty()) {
            problems.add("spec.external: excludes spec." + String.join(", spec.", clash)
                    + " (an external server is only probed and routed to)");
        }
        String url = spec.getExternal().getUrl();
        if (url == null || url.isBlank()) {
            problems.add("spec.external.url: required");
            return;
        }
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.add("spec.external.url: '" + abbreviate(url) + "' is not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            problems.add("spec.external.url: '" + abbreviate(url) + "' is not a URL: " + e.getReason());
        }
    }

    private void checkManaged(String name, LocalModelSpec spec) {
        if (!KubernetesNames.isServiceName(name, MAX_MANAGED_NAME)) {
            problems.add("metadata.name: '" + abbreviate(name) + "' must be a DNS label of at most " + MAX_MANAGED_NAME
                    + " characters (lower case letters, digits and '-', starting with a letter): it names the Service and StatefulSet");
        }
        range("spec.replicas", spec.getReplicas(), 0, 64);
        if (spec.getImage() != null && (spec.getImage().isBlank() || spec.getImage().chars().anyMatch(Character::isWhitespace))) {
            problems.add("spec.image: '" + abbreviate(spec.getImage()) + "' is not an image reference");
        }
        checkGpu(spec.getGpu());
        if (spec.getStorage() != null && spec.getStorage().getSize() != null) {
            quantity("spec.storage.size", spec.getStorage().getSize());
        }
        checkOllama(spec.getOllama());
        if (spec.getResources() != null) {
            resources("spec.resources.requests", spec.getResources().getRequests());
            resources("spec.resources.limits", spec.getResources().getLimits());
        }
        if (spec.getNodeSelector() != null) {
            spec.getNodeSelector().forEach((k, v) -> {
                if (v == null || v.length() > 63 || !LABEL_VALUE.matcher(v).matches()) {
                    problems.add("spec.nodeSelector[" + abbreviate(k) + "]: '" + abbreviate(String.valueOf(v)) + "' is not a label value");
                }
            });
        }
    }

    private void checkGpu(GpuSpec gpu) {
        if (gpu == null) {
            return;
        }
        range("spec.gpu.count", gpu.getCount(), 0, 16);
        if (gpu.getVendor() != null && !Set.of(GpuScheduling.NVIDIA, GpuScheduling.AMD).contains(gpu.getVendor())) {
            problems.add("spec.gpu.vendor: '" + abbreviate(gpu.getVendor()) + "' is not one of nvidia, amd");
        }
        if (gpu.getResourceName() != null && !RESOURCE_NAME.matcher(gpu.getResourceName()).matches()) {
            problems.add("spec.gpu.resourceName: '" + abbreviate(gpu.getResourceName()) + "' is not an extended resource name such as nvidia.com/mig-1g.10gb");
        }
        if (gpu.getProduct() != null && (gpu.getProduct().length() > 63 || !LABEL_VALUE.matcher(gpu.getProduct()).matches())) {
            problems.add("spec.gpu.product: '" + abbreviate(gpu.getProduct()) + "' is not a node label value");
        }
        if (gpu.getRuntimeClassName() != null && !KubernetesNames.isDnsSubdomain(gpu.getRuntimeClassName())) {
            problems.add("spec.gpu.runtimeClassName: '" + abbreviate(gpu.getRuntimeClassName()) + "' is not a RuntimeClass name");
        }
        List<Long> groups = gpu.getSupplementalGroups();
        if (groups != null) {
            if (groups.size() > MAX_GROUPS) {
                problems.add("spec.gpu.supplementalGroups: " + groups.size() + " groups, at most " + MAX_GROUPS);
            }
            for (int i = 0; i < Math.min(groups.size(), MAX_GROUPS); i++) {
                Long gid = groups.get(i);
                if (gid == null || gid < 0 || gid > Integer.MAX_VALUE) {
                    problems.add("spec.gpu.supplementalGroups[" + i + "]: " + gid + " is not a group ID (0.." + Integer.MAX_VALUE + ")");
                }
            }
        }
    }

    private void checkOllama(OllamaSpec ollama) {
        if (ollama == null) {
            return;
        }
        if (ollama.getKeepAlive() != null && !KeepAlive.isReadByOllama(ollama.getKeepAlive())) {
            problems.add("spec.ollama.keepAlive: '" + abbreviate(ollama.getKeepAlive()) + "' is not a duration (5m, 1h30m,"
                    + " 300ms) or an integer of seconds (3600; -1 keeps the model loaded): Ollama would silently use 5m");
        }
        Integer context = ollama.getContextLength();
        if (context != null && context < OllamaSpec.MIN_CONTEXT_LENGTH) {
            problems.add("spec.ollama.contextLength: " + context + " is below " + OllamaSpec.MIN_CONTEXT_LENGTH
                    + " tokens (Ollama reads 0 as 4 tokens, not as its default): leave it out for Ollama's default");
        } else {
            range("spec.ollama.contextLength", context, OllamaSpec.MIN_CONTEXT_LENGTH, 10_000_000);
        }
        range("spec.ollama.numParallel", ollama.getNumParallel(), 1, 256);
        if (ollama.getEnv() != null) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < ollama.getEnv().size(); i++) {
                EnvVar e = ollama.getEnv().get(i);
                String field = "spec.ollama.env[" + i + "].name";
                if (e == null || e.getName() == null || !ENV_NAME.matcher(e.getName()).matches()) {
                    problems.add(field + ": not a valid environment variable name");
                } else if (!seen.add(e.getName())) {
                    problems.add(field + ": " + e.getName() + " is set twice");
                }
            }
        }
    }

    /** Every request and limit is a quantity of at least zero (the API server rejects the StatefulSet otherwise). */
    private void resources(String field, java.util.Map<String, Quantity> amounts) {
        if (amounts == null) {
            return;
        }
        amounts.forEach((name, amount) -> {
            String at = field + "." + abbreviate(String.valueOf(name));
            String text = amount == null ? "" : amount.toString();
            try {
                if (new Quantity(text).getNumericalAmount().signum() < 0) {
                    problems.add(at + ": must not be negative, got '" + abbreviate(text) + "'");
                }
            } catch (RuntimeException e) {
                problems.add(at + ": '" + abbreviate(text) + "' is not a quantity such as 500m, 4 or 32Gi");
            }
        });
    }

    private void quantity(String field, String value) {
        try {
            BigDecimal bytes = new Quantity(value).getNumericalAmount();
            if (bytes.signum() <= 0) {
                problems.add(field + ": must be larger than zero");
            }
        } catch (RuntimeException e) {
            problems.add(field + ": '" + abbreviate(value) + "' is not a quantity such as 50Gi");
        }
    }

    private void range(String field, Integer value, int min, int max) {
        range(problems, field, value, min, max);
    }

    static void range(List<String> problems, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            problems.add(field + ": " + value + " is outside " + min + ".." + max);
        }
    }


    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…(" + s.length() + " characters)";
    }
}
