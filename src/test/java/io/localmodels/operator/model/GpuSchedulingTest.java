package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.localmodels.operator.api.GpuSpec;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelSpec;
import io.localmodels.operator.config.OperatorConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GpuSchedulingTest {

    private final OperatorConfig config = OperatorConfig.defaults();

    @Test
    void nvidiaGpuMapsToResourceLimitProductSelectorRuntimeClassAndToleration() {
        GpuSpec gpu = gpu(2, "nvidia");
        gpu.setProduct("NVIDIA-A100-SXM4-80GB");
        gpu.setRuntimeClassName("nvidia");
        LocalModel lm = model(gpu);
        lm.getSpec().setNodeSelector(Map.of("pool", "gpu"));
        lm.getSpec().setTolerations(List.of(new TolerationBuilder().withKey("dedicated").withOperator("Equal")
                .withValue("llm").withEffect("NoSchedule").build()));

        PodSpec pod = OllamaWorkload.statefulSet(lm, config).getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers().get(0).getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB")
                .containsEntry("pool", "gpu");
        assertThat(pod.getRuntimeClassName()).isEqualTo("nvidia");
        assertThat(pod.getTolerations()).extracting(Toleration::getKey).containsExactly("nvidia.com/gpu", "dedicated");
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo("ollama/ollama:0.12.6");
    }

    @Test
    void amdGpuUsesAmdResourceAndTheRocmImage() {
        PodSpec pod = OllamaWorkload.statefulSet(model(gpu(1, "amd")), config).getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers().get(0).getResources().getLimits()).containsOnlyKeys("amd.com/gpu");
        assertThat(pod.getTolerations()).extracting(Toleration::getKey).containsExactly("amd.com/gpu");
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo("ollama/ollama:0.12.6-rocm");
    }

    @Test
    void resourceNameOverrideServesMigProfiles() {
        GpuSpec gpu = gpu(1, "nvidia");
        gpu.setResourceName("nvidia.com/mig-1g.10gb");
        PodSpec pod = OllamaWorkload.statefulSet(model(gpu), config).getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers().get(0).getResources().getLimits()).containsOnlyKeys("nvidia.com/mig-1g.10gb");
        assertThat(pod.getTolerations()).extracting(Toleration::getKey).containsExactly("nvidia.com/mig-1g.10gb");
    }

    @Test
    void noGpuMeansNoGpuResourceNoTolerationNoRuntimeClass() {
        GpuSpec gpu = gpu(0, "nvidia");
        gpu.setRuntimeClassName("nvidia");
        gpu.setProduct("NVIDIA-A100-SXM4-80GB");
        PodSpec pod = OllamaWorkload.statefulSet(model(gpu), config).getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers().get(0).getResources()).isNull();
        assertThat(pod.getTolerations()).isNull();
        assertThat(pod.getRuntimeClassName()).isNull();
        assertThat(pod.getNodeSelector()).isNull();
    }

    @Test
    void rocmVariantOfImageReferences() {
        GpuSpec amd = gpu(1, "amd");
        assertThat(GpuScheduling.image("ollama/ollama:0.12.6", amd)).isEqualTo("ollama/ollama:0.12.6-rocm");
        assertThat(GpuScheduling.image("ollama/ollama:latest", amd)).isEqualTo("ollama/ollama:rocm");
        assertThat(GpuScheduling.image("ollama/ollama", amd)).isEqualTo("ollama/ollama:rocm");
        assertThat(GpuScheduling.image("registry:5000/ollama", amd)).isEqualTo("registry:5000/ollama:rocm");
        assertThat(GpuScheduling.image("ollama/ollama:rocm", amd)).isEqualTo("ollama/ollama:rocm");
        assertThat(GpuScheduling.image("ollama/ollama:0.12.6", gpu(1, "nvidia"))).isEqualTo("ollama/ollama:0.12.6");
    }

    static GpuSpec gpu(int count, String vendor) {
        GpuSpec gpu = new GpuSpec();
        gpu.setCount(count);
        gpu.setVendor(vendor);
        return gpu;
    }

    static LocalModel model(GpuSpec gpu) {
        LocalModel lm = new LocalModel();
        lm.getMetadata().setName("m");
        lm.getMetadata().setNamespace("llm");
        LocalModelSpec spec = new LocalModelSpec();
        spec.setModel("qwen3:30b");
        spec.setGpu(gpu);
        lm.setSpec(spec);
        return lm;
    }
}
