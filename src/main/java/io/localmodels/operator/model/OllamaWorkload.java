package io.localmodels.operator.model;

import io.localmodels.operator.kube.Labels;
import io.localmodels.operator.kube.OwnerReferences;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelSpec;
import io.localmodels.operator.api.OllamaSpec;
import io.localmodels.operator.api.StorageSpec;
import io.localmodels.operator.config.OperatorConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The objects that run Ollama for a managed LocalModel, as pure functions of the spec and operator defaults: the
 * reconciler and the offline {@code render} command both get them from {@link #desired}.
 */
public final class OllamaWorkload {

    public static final int PORT = 11434;
    public static final String VOLUME = "models";
    /** The volume holds the models and Ollama's HOME (its key pair), so a non-root user can write both. */
    public static final String DATA_DIR = "/data";
    public static final long OLLAMA_UID = 1000;
    public static final String DEFAULT_STORAGE = "50Gi";
    /** The root filesystem is read-only; Ollama's GPU discovery writes a temp file here ({@code os.CreateTemp}). */
    public static final String TMP_VOLUME = "tmp";
    /**
     * How long a stopping pod keeps serving before Ollama gets SIGTERM, which cuts in-flight requests (it does not
     * drain). The pod leaves the Service's ready endpoints at once, so no new work arrives while other replicas
     * serve; 120 s lets a generation a caller still waits for finish: twice the default probe timeout (60 s), and
     * the per-attempt {@code policy.timeout} the ModelRouter reference uses (120 s), after which the router has
     * retried elsewhere. Longer generations (a router without a timeout) are cut; every pod stop takes this long.
     */
    public static final long DRAIN_SECONDS = 120;
    /** The drain, then time for Ollama to stop its runners after SIGTERM before the kubelet kills it. */
    public static final long TERMINATION_GRACE_SECONDS = DRAIN_SECONDS + 15;

    private OllamaWorkload() {
    }

    /** The StatefulSet and Service of a managed LocalModel. */
    public record Desired(StatefulSet statefulSet, Service service) {

        /** In the order {@code render} prints them. */
        public List<HasMetadata> all() {
            return List.of(statefulSet, service);
        }
    }

    /** Every object the operator keeps for {@code lm}; empty for an external server, which has none. */
    public static Optional<Desired> desired(LocalModel lm, OperatorConfig config) {
        if (lm.getSpec().getExternal() != null) {
            return Optional.empty();
        }
        return Optional.of(new Desired(statefulSet(lm, config), service(lm, config)));
    }

    public static int replicas(LocalModelSpec spec) {
        return spec.getReplicas() == null ? 1 : spec.getReplicas();
    }

    public static boolean retainOnDelete(LocalModelSpec spec) {
        return spec.getStorage() == null || !Boolean.FALSE.equals(spec.getStorage().getRetainOnDelete());
    }

    public static String image(LocalModelSpec spec, OperatorConfig config) {
        String base = spec.getImage() != null ? spec.getImage() : config.ollamaImage();
        return GpuScheduling.image(base, spec.getGpu());
    }

    /** ClusterIP Service: the stable endpoint probes and the router use. */
    static Service service(LocalModel lm, OperatorConfig config) {
        return new ServiceBuilder()
                .withMetadata(metadata(lm, config))
                .withNewSpec()
                .withSelector(Labels.selector(lm))
                .addNewPort().withName("http").withPort(PORT).withTargetPort(new IntOrString("http"))
                .withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }

    static StatefulSet statefulSet(LocalModel lm, OperatorConfig config) {
        LocalModelSpec spec = lm.getSpec();
        var gpu = spec.getGpu();
        Map<String, String> nodeSelector = new LinkedHashMap<>();
        if (spec.getNodeSelector() != null) {
            nodeSelector.putAll(spec.getNodeSelector());
        }
        if (gpu != null && gpu.getProduct() != null && GpuScheduling.count(gpu) > 0) {
            nodeSelector.put(GpuScheduling.PRODUCT_LABEL, gpu.getProduct());
        }
        List<Toleration> tolerations = new ArrayList<>();
        GpuScheduling.toleration(gpu).ifPresent(tolerations::add);
        if (spec.getTolerations() != null) {
            spec.getTolerations().stream().filter(t -> !tolerations.contains(t)).forEach(tolerations::add);
        }
        boolean retain = retainOnDelete(spec);
        return new StatefulSetBuilder()
                .withMetadata(metadata(lm, config))
                .withNewSpec()
                .withReplicas(replicas(spec))
                .withServiceName(lm.getMetadata().getName())
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(Labels.selector(lm)).endSelector()
                .withNewPersistentVolumeClaimRetentionPolicy()
                .withWhenDeleted(retain ? "Retain" : "Delete")
                .withWhenScaled("Retain")
                .endPersistentVolumeClaimRetentionPolicy()
                .withNewTemplate()
                // the shard label on pods too: a shard's pod informer holds only its own pods
                .withNewMetadata().withLabels(Labels.common(lm, config.shard().labels())).endMetadata()
                .withNewSpec()
                .withEnableServiceLinks(false) // service links would inject OLLAMA_* variables for a Service named ollama
                .withRuntimeClassName(gpu == null || GpuScheduling.count(gpu) == 0 ? null : gpu.getRuntimeClassName())
                .withPriorityClassName(blankToNull(spec.getPriorityClassName()))
                .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                .withTolerations(tolerations.isEmpty() ? null : tolerations)
                .withAffinity(spec.getAffinity())
                .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
                // Ready (and Service traffic) only once the operator has seen the model pulled, loaded and answering
                .addNewReadinessGate().withConditionType(ModelReadyGate.CONDITION).endReadinessGate()
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(OLLAMA_UID)
                .withRunAsGroup(OLLAMA_UID)
                .withFsGroup(OLLAMA_UID)
                .withSupplementalGroups(GpuScheduling.supplementalGroups(gpu))
                .withFsGroupChangePolicy("OnRootMismatch")
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(spec, config))
                .addNewVolume().withName(TMP_VOLUME).withNewEmptyDir().withSizeLimit(new Quantity("1Gi")).endEmptyDir()
                .endVolume()
                .endSpec()
                .endTemplate()
                .withVolumeClaimTemplates(volumeClaim(spec.getStorage()))
                .endSpec()
                .build();
    }

    private static Container container(LocalModelSpec spec, OperatorConfig config) {
        return new ContainerBuilder()
                .withName("ollama")
                .withImage(image(spec, config))
                .withArgs("serve")
                .addNewPort().withName("http").withContainerPort(PORT).withProtocol("TCP").endPort()
                .withEnv(env(spec))
                .withResources(resources(spec))
                .addNewVolumeMount().withName(VOLUME).withMountPath(DATA_DIR).endVolumeMount()
                .addNewVolumeMount().withName(TMP_VOLUME).withMountPath("/tmp").endVolumeMount()
                // the image has no curl or wget: HTTP probes only
                .withStartupProbe(httpProbe("/", 5, 120)) // slow GPU nodes: up to 10 minutes to come up
                .withLivenessProbe(httpProbe("/", 10, 6))
                .withReadinessProbe(httpProbe("/api/version", 5, 3))
                // an exec of the image's /bin/sleep (ubuntu 24.04 base) rather than the lifecycle sleep action,
                // which Kubernetes enables by default only from 1.30: the chart supports 1.27
                .withNewLifecycle().withNewPreStop().withNewExec()
                .withCommand("/bin/sleep", String.valueOf(DRAIN_SECONDS)).endExec().endPreStop().endLifecycle()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .build();
    }

    static List<EnvVar> env(LocalModelSpec spec) {
        OllamaSpec ollama = spec.getOllama();
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("OLLAMA_HOST", "0.0.0.0:" + PORT, null)); // on loopback Ollama rejects other Host names
        env.add(new EnvVar("OLLAMA_MODELS", DATA_DIR + "/models", null));
        env.add(new EnvVar("HOME", DATA_DIR, null));
        // at start Ollama deletes partial downloads (PruneLayers): a restarted pod would pull from the beginning
        env.add(new EnvVar("OLLAMA_NOPRUNE", "1", null));
        // one model per server: the scheduler never fits a second runner (a model a client pulled through the
        // Service) beside ours, which would push layers of ours onto the CPU at its next load
        env.add(new EnvVar("OLLAMA_MAX_LOADED_MODELS", "1", null));
        GpuScheduling.hiddenGpus(spec.getGpu()).ifPresent(env::add);
        String keepAlive = ollama == null || ollama.getKeepAlive() == null ? "-1" : ollama.getKeepAlive();
        env.add(new EnvVar("OLLAMA_KEEP_ALIVE", keepAlive, null));
        if (ollama != null && ollama.getContextLength() != null) {
            env.add(new EnvVar("OLLAMA_CONTEXT_LENGTH", String.valueOf(ollama.getContextLength()), null));
        }
        if (ollama != null && ollama.getNumParallel() != null) {
            env.add(new EnvVar("OLLAMA_NUM_PARALLEL", String.valueOf(ollama.getNumParallel()), null));
        }
        if (ollama != null && ollama.getEnv() != null) {
            for (EnvVar extra : ollama.getEnv()) {
                env.removeIf(e -> e.getName().equals(extra.getName())); // the user's value wins
                env.add(extra);
            }
        }
        return env;
    }

    static ResourceRequirements resources(LocalModelSpec spec) {
        ResourceRequirements user = spec.getResources();
        ResourceRequirementsBuilder builder = user == null ? new ResourceRequirementsBuilder()
                : new ResourceRequirementsBuilder(user);
        GpuScheduling.resourceName(spec.getGpu()).ifPresent(resource -> {
            Quantity count = new Quantity(String.valueOf(GpuScheduling.count(spec.getGpu())));
            // extended resources are limits only (requests default to them)
            builder.addToLimits(resource, count);
            if (user != null && user.getRequests() != null && user.getRequests().containsKey(resource)) {
                builder.addToRequests(resource, count);
            }
        });
        ResourceRequirements built = builder.build();
        return (built.getLimits() == null || built.getLimits().isEmpty())
                && (built.getRequests() == null || built.getRequests().isEmpty()) ? null : built;
    }

    private static PersistentVolumeClaim volumeClaim(StorageSpec storage) {
        String size = storage == null || storage.getSize() == null ? DEFAULT_STORAGE : storage.getSize();
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(VOLUME).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storage == null ? null : storage.getStorageClassName())
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources()
                .endSpec()
                .build();
    }

    private static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withHttpGet(new HTTPGetActionBuilder().withPath(path).withPort(new IntOrString("http")).build())
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(3)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /** Both objects carry the LocalModel's name, our labels, and an owner reference so they go with it. */
    private static ObjectMeta metadata(LocalModel lm, OperatorConfig config) {
        return new ObjectMetaBuilder()
                .withName(lm.getMetadata().getName())
                .withNamespace(lm.getMetadata().getNamespace())
                .withLabels(Labels.common(lm, config.shard().labels()))
                .withOwnerReferences(OwnerReferences.controlledBy(lm))
                .build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
