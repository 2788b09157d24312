package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.OllamaSpec;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.install.RestrictedProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.localmodels.operator.model.GpuSchedulingTest.gpu;
import static io.localmodels.operator.model.GpuSchedulingTest.model;
import static org.assertj.core.api.Assertions.assertThat;

/** The Ollama pod as the 0.12.6 image needs it (ollama-api.md, "Verified against the 0.12.6 source"). */
class OllamaWorkloadTest {

    private final OperatorConfig config = OperatorConfig.defaults();

    @Test
    void aRestartedPodResumesItsPullAndServesOneModel() {
        Map<String, String> env = env(pod(model(gpu(1, "nvidia"))));

        assertThat(env).containsEntry("OLLAMA_NOPRUNE", "1").containsEntry("OLLAMA_MAX_LOADED_MODELS", "1");
    }

    @Test
    void aCpuOnlyPodSeesNoGpuOfAnNvidiaDefaultRuntime() {
        assertThat(env(pod(model(null)))).containsEntry("NVIDIA_VISIBLE_DEVICES", "void");
        assertThat(env(pod(model(gpu(0, "nvidia"))))).containsEntry("NVIDIA_VISIBLE_DEVICES", "void");
        assertThat(env(pod(model(gpu(1, "nvidia"))))).as("the device plugin sets it to the allocated GPUs")
                .doesNotContainKey("NVIDIA_VISIBLE_DEVICES");
    }

    @Test
    void theUsersEnvironmentStillWins() {
        LocalModel lm = model(null);
        OllamaSpec ollama = new OllamaSpec();
        ollama.setEnv(List.of(new EnvVar("OLLAMA_MAX_LOADED_MODELS", "2", null),
                new EnvVar("OLLAMA_NOPRUNE", "", null), new EnvVar("NVIDIA_VISIBLE_DEVICES", "0", null)));
        lm.getSpec().setOllama(ollama);

        List<EnvVar> env = pod(lm).getContainers().get(0).getEnv();

        assertThat(env(pod(lm))).containsEntry("OLLAMA_MAX_LOADED_MODELS", "2").containsEntry("OLLAMA_NOPRUNE", "")
                .containsEntry("NVIDIA_VISIBLE_DEVICES", "0");
        assertThat(env).extracting(EnvVar::getName).doesNotHaveDuplicates();
    }

    @Test
    void theRootFilesystemIsReadOnlyWithAWritableTmp() {
        PodSpec pod = pod(model(null));
        Container ollama = pod.getContainers().get(0);

        assertThat(ollama.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(ollama.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/tmp");
            assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(m.getName()))
                    .singleElement().satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("1Gi")));
        });
        assertThat(ollama.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath())
                .isEqualTo(env(pod).get("HOME")));
        assertThat(RestrictedProfile.violations(pod)).isEmpty();
    }

    @Test
    void aStoppingPodLetsAGenerationFinishBeforeOllamaGetsSigterm() {
        PodSpec pod = pod(model(gpu(1, "nvidia")));

        List<String> preStop = pod.getContainers().get(0).getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop).containsExactly("/bin/sleep", "120");
        assertThat(pod.getTerminationGracePeriodSeconds()).as("the pause, then time to stop")
                .isGreaterThan(Long.parseLong(preStop.get(1)));
    }

    @Test
    void amdPodsJoinTheGroupsOwningTheGpuDevices() {
        assertThat(pod(model(gpu(1, "amd"))).getSecurityContext().getSupplementalGroups()).containsExactly(44L, 110L);

        var custom = gpu(1, "amd");
        custom.setSupplementalGroups(List.of(44L, 992L));
        assertThat(pod(model(custom)).getSecurityContext().getSupplementalGroups()).containsExactly(44L, 992L);

        var none = gpu(1, "amd");
        none.setSupplementalGroups(List.of());
        assertThat(pod(model(none)).getSecurityContext().getSupplementalGroups()).isNullOrEmpty();

        assertThat(pod(model(gpu(1, "nvidia"))).getSecurityContext().getSupplementalGroups()).isNullOrEmpty();
        assertThat(pod(model(gpu(0, "amd"))).getSecurityContext().getSupplementalGroups()).isNullOrEmpty();
        assertThat(RestrictedProfile.violations(pod(model(gpu(1, "amd"))))).isEmpty();
    }

    private PodSpec pod(LocalModel lm) {
        return OllamaWorkload.statefulSet(lm, config).getSpec().getTemplate().getSpec();
    }

    private static Map<String, String> env(PodSpec pod) {
        return pod.getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
    }
}
