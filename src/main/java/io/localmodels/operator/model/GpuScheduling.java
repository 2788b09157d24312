package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.localmodels.operator.api.GpuSpec;

import java.util.Optional;

/** How a LocalModel's {@code gpu} block maps onto Kubernetes scheduling. */
public final class GpuScheduling {

    public static final String NVIDIA = "nvidia";
    public static final String AMD = "amd";
    public static final String PRODUCT_LABEL = "nvidia.com/gpu.product";

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
