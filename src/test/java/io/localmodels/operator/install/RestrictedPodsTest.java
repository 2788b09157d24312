package io.localmodels.operator.install;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.model.OllamaWorkload;
import io.localmodels.operator.render.ManifestReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every pod the operator creates meets the Pod Security "restricted" profile. */
class RestrictedPodsTest {

    @Test
    void ollamaPodsOfEverySampleAreRestricted() throws IOException {
        var manifests = new ManifestReader().read(Path.of("manifests/samples"));
        var managed = manifests.localModels().stream().filter(lm -> lm.getSpec().getExternal() == null).toList();
        assertThat(managed).isNotEmpty();
        for (var lm : managed) {
            PodSpec pod = OllamaWorkload.statefulSet(lm, OperatorConfig.defaults()).getSpec().getTemplate().getSpec();
            assertThat(RestrictedProfile.violations(pod)).as(lm.getMetadata().getName()).isEmpty();
        }
    }
}
