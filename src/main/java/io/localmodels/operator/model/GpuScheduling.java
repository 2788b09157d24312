package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.localmodels.operator.api.GpuSpec;

import java.util.List;
import java.util.Optional;

/** How a LocalModel's {@code gpu} block maps onto Kubernetes scheduling. */
public final class GpuScheduling {

    public static final String NVIDIA = "nvidia";
    public static final String AMD = "amd";
    public static final String PRODUCT_LABEL = "nvidia.com/gpu.product";
    /**
     * video (44 on Debian and Ubuntu hosts) and render (a common GID on Ubuntu hosts; render is a dynamic system
     * group, so its GID depends on the host's install: {@code getent group render} on a GPU node tells, and
     * {@code gpu.supplementalGroups} sets it).
     */
    public static final List<Long> AMD_DEFAULT_GROUPS = List.of(44L, 110L);

    private GpuScheduling() {
    }

    public static int count(GpuSpec gpu) {
        return gpu == null || gpu.getCount() == null ? 0 : gpu.getCount();
    }

    public static String vendor(GpuSpec gpu) {
        return gpu == null || gpu.getVendor() == null ? NVIDIA : gpu.getVendor();
    }

    /** The extended resource requested: an explicit override (e.g. a MIG profile) or the vendor's device plugin name. */
    public static Optional<String> resourceName(GpuSpec gpu) {
        if (count(gpu) == 0) {
            return Optional.empty();
        }
        if (gpu.getResourceName() != null) {
            return Optional.of(gpu.getResourceName());
        }
        return Optional.of(AMD.equals(vendor(gpu)) ? "amd.com/gpu" : "nvidia.com/gpu");
    }

    /** GPU nodes are commonly tainted with the resource name; pods that ask for the GPU must tolerate it. */
    public static Optional<Toleration> toleration(GpuSpec gpu) {
        return resourceName(gpu).map(resource -> new TolerationBuilder()
                .withKey(resource).withOperator("Exists").withEffect("NoSchedule").build());
    }

    /**
     * Supplemental groups of the pod: Ollama runs as uid 1000, and ROCm needs the groups that own {@code /dev/kfd}
     * and {@code /dev/dri} or it silently runs on CPU. An explicit {@code gpu.supplementalGroups} wins (also for
     * nvidia); an AMD GPU without it gets {@link #AMD_DEFAULT_GROUPS}.
     */
    public static List<Long> supplementalGroups(GpuSpec gpu) {
        if (count(gpu) == 0) {
            return List.of();
        }
        if (gpu.getSupplementalGroups() != null) {
            return List.copyOf(gpu.getSupplementalGroups());
        }
        return AMD.equals(vendor(gpu)) ? AMD_DEFAULT_GROUPS : List.of();
    }

    /**
     * The environment a pod without a GPU needs: the image sets {@code NVIDIA_VISIBLE_DEVICES=all}, so on a node
     * whose default container runtime is NVIDIA's a CPU-only pod would see (and Ollama would use) every GPU.
     * With a GPU the device plugin sets the variable to the devices it allocated.
     */
    public static Optional<EnvVar> hiddenGpus(GpuSpec gpu) {
        return count(gpu) == 0 ? Optional.of(new EnvVar("NVIDIA_VISIBLE_DEVICES", "void", null)) : Optional.empty();
    }

    /** Ollama publishes ROCm builds as {@code <tag>-rocm} ({@code rocm} for latest). */
    public static String image(String image, GpuSpec gpu) {
        if (count(gpu) == 0 || !AMD.equals(vendor(gpu)) || image.contains("rocm")) {
            return image;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (image.contains("@") || colon < slash) {
            return image.contains("@") ? image : image + ":rocm";
        }
        String tag = image.substring(colon + 1);
        return image.substring(0, colon + 1) + ("latest".equals(tag) ? "rocm" : tag + "-rocm");
    }
}
