package io.localmodels.operator.router;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.localmodels.operator.api.CallbackSpec;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterSpec;
import io.localmodels.operator.api.SecretKeyRef;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.kube.Labels;
import io.localmodels.operator.kube.OwnerReferences;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The LiteLLM proxy's objects as pure functions of the ModelRouter: ConfigMap {@code <router>-litellm} with
 * config.yaml, Deployment {@code <router>} (its pod template carries the config hash, so a new config rolls the
 * pods and an unchanged one never does) and Service {@code <router>} on port 4000.
 */
public final class ProxyResources {

    public static final String CONFIG_HASH_ANNOTATION = "localmodels.io/config-hash";
    public static final int PORT = 4000;
    static final String CONTAINER = "litellm";
    static final String CONFIG_PATH = "/app/" + LiteLlmConfig.FILE_NAME;
    static final long RUN_AS_USER = 1000;

    private ProxyResources() {
    }

    /** The proxy's ConfigMap, Deployment and Service. */
    public record Desired(ConfigMap configMap, Deployment deployment, Service service) {

        /** In the order {@code render} prints them. */
        public List<HasMetadata> all() {
            return List.of(configMap, deployment, service);
        }
    }

    /**
     * Every object the operator keeps for this router: the ConfigMap holds {@code liteLlm}, the Deployment runs the
     * config with {@code runningHash} (during damping: the one still in place; offline: {@code liteLlm}'s own).
     */
    public static Desired desired(ModelRouter router, LiteLlmConfig liteLlm, OperatorConfig config,
                                  String runningHash) {
        return new Desired(configMap(router, liteLlm, config), deployment(router, config, runningHash),
                service(router, config));
    }

    public static String configMapName(ModelRouter router) {
        return router.getMetadata().getName() + "-litellm";
    }

    /** Where clients reach the proxy. */
    public static String endpoint(ModelRouter router) {
        return "http://" + router.getMetadata().getName() + "." + LiteLlmConfig.namespaceOf(router)
                + ".svc.cluster.local:" + PORT;
    }

    public static int replicas(ModelRouter router) {
        Integer r = router.getSpec() == null ? null : router.getSpec().getReplicas();
        return r == null ? 1 : r;
    }

    static ConfigMap configMap(ModelRouter router, LiteLlmConfig liteLlm, OperatorConfig config) {
        return new ConfigMapBuilder()
                .withMetadata(meta(router, configMapName(router), Map.of(CONFIG_HASH_ANNOTATION, liteLlm.hash()), config))
                .withData(Map.of(LiteLlmConfig.FILE_NAME, liteLlm.yaml()))
                .build();
    }

    /** The Deployment running the config with {@code configHash} (during damping: the one still in place). */
    static Deployment deployment(ModelRouter router, OperatorConfig config, String configHash) {
        ModelRouterSpec spec = router.getSpec() == null ? new ModelRouterSpec() : router.getSpec();
        String name = router.getMetadata().getName();
        Map<String, String> selector = Labels.selector(router);
        // the shard label on the proxy pods too: a shard's traffic monitor informs only on its own (none unsharded,
        // so an upgrade of an unsharded install rolls no proxy)
        Map<String, String> podLabels = new LinkedHashMap<>(Labels.common(router, config.shard().labels()));
        return new DeploymentBuilder()
                .withMetadata(meta(router, name, Map.of(), config))
                .withNewSpec()
                .withReplicas(replicas(router))
                .withNewSelector().withMatchLabels(selector).endSelector()
                // one new pod ready before an old one goes: a config rollout never drops the proxy
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1))
                .endRollingUpdate().endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels).withAnnotations(Map.of(CONFIG_HASH_ANNOTATION, configHash))
                .endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext()
                .withRunAsNonRoot(true).withRunAsUser(RUN_AS_USER).withRunAsGroup(RUN_AS_USER).withFsGroup(RUN_AS_USER)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(spec.getImage() != null ? spec.getImage() : config.liteLlmImage())
                .withArgs("--config", CONFIG_PATH, "--port", String.valueOf(PORT))
                .addNewPort().withName("http").withContainerPort(PORT).withProtocol("TCP").endPort()
                .withEnv(env(spec))
                .withEnvFrom(envFrom(spec))
                .withResources(resources(spec))
                .withStartupProbe(httpProbe("/health/liveliness", 5, 36))
                .withLivenessProbe(httpProbe("/health/liveliness", 15, 3))
                .withReadinessProbe(httpProbe("/health/readiness", 10, 3))
                .withNewSecurityContext()
                .withRunAsNonRoot(true).withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewVolumeMount().withName("config").withMountPath(CONFIG_PATH)
                .withSubPath(LiteLlmConfig.FILE_NAME).withReadOnly(true).endVolumeMount()
                // LiteLLM writes to /tmp (and HOME) at start-up
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("config").withNewConfigMap().withName(configMapName(router))
                .addNewItem().withKey(LiteLlmConfig.FILE_NAME).withPath(LiteLlmConfig.FILE_NAME).endItem()
                .endConfigMap().endVolume()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    static Service service(ModelRouter router, OperatorConfig config) {
        return new ServiceBuilder()
                .withMetadata(meta(router, router.getMetadata().getName(), Map.of(), config))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Labels.selector(router))
                .addNewPort().withName("http").withPort(PORT).withTargetPort(new IntOrString("http"))
                .withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }

    /** Secrets reach the proxy only as references: secretKeyRef for single keys, envFrom for Langfuse's keys. */
    private static List<EnvVar> env(ModelRouterSpec spec) {
        List<EnvVar> env = new ArrayList<>();
        String level = spec.getSettings() == null || spec.getSettings().getLogLevel() == null ? "INFO"
                : spec.getSettings().getLogLevel();
        env.add(new EnvVarBuilder().withName("LITELLM_LOG").withValue(level).build());
        env.add(new EnvVarBuilder().withName("HOME").withValue("/tmp").build());
        // at import LiteLLM fetches a model price list from the internet (5 s timeout, then its bundled copy);
        // an air-gapped cluster would wait at every start, and Ollama models have no price there anyway
        env.add(new EnvVarBuilder().withName("LITELLM_LOCAL_MODEL_COST_MAP").withValue("True").build());
        secretEnv(env, LiteLlmConfig.MASTER_KEY_ENV, spec.getMasterKeySecretRef());
        return env;
    }

    private static void secretEnv(List<EnvVar> env, String name, SecretKeyRef ref) {
        if (ref != null && ref.getName() != null && ref.getKey() != null) {
            env.add(new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                    .withName(ref.getName()).withKey(ref.getKey()).endSecretKeyRef().endValueFrom().build());
        }
    }

    private static List<EnvFromSource> envFrom(ModelRouterSpec spec) {
        Set<String> secrets = new LinkedHashSet<>();
        if (spec.getCallbacks() != null) {
            for (CallbackSpec c : spec.getCallbacks()) {
                if (c != null && c.getSecretRef() != null && !c.getSecretRef().isBlank()) {
                    secrets.add(c.getSecretRef());
                }
            }
        }
        return secrets.stream()
                .map(s -> new EnvFromSourceBuilder().withNewSecretRef().withName(s).endSecretRef().build())
                .toList();
    }

    private static ResourceRequirements resources(ModelRouterSpec spec) {
        if (spec.getResources() != null) {
            return spec.getResources();
        }
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("512Mi"))
                .addToLimits("memory", new Quantity("2Gi"))
                .build();
    }

    private static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(periodSeconds).withTimeoutSeconds(5).withFailureThreshold(failureThreshold)
                .build();
    }

    private static ObjectMeta meta(ModelRouter router, String name, Map<String, String> annotations,
                                   OperatorConfig config) {
        ObjectMetaBuilder b = new ObjectMetaBuilder().withName(name).withNamespace(router.getMetadata().getNamespace())
                .withLabels(Labels.common(router, config.shard().labels()));
        if (!annotations.isEmpty()) {
            b.withAnnotations(new LinkedHashMap<>(annotations));
        }
        return b.withOwnerReferences(OwnerReferences.controlledBy(router)).build();
    }
}
