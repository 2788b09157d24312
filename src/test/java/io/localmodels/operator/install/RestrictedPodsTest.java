package io.localmodels.operator.install;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.model.OllamaWorkload;
import io.localmodels.operator.render.ManifestReader;
import io.localmodels.operator.render.OfflineRender;
import io.localmodels.operator.render.SamplesGoldenTest;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every pod the operator creates meets the Pod Security "restricted" profile. */
class RestrictedPodsTest {

    @Test
    void ollamaPodsOfEverySampleAreRestricted() throws IOException {
        var manifests = new ManifestReader().read(Path.of("manifests/samples"));
        var managed = manifests.localModels().stream().filter(lm -> lm.getSpec().getExternal() == null).toList();
        assertThat(managed).isNotEmpty();
        for (var lm : managed) {
            PodSpec pod = OllamaWorkload.desired(lm, OperatorConfig.defaults()).orElseThrow().statefulSet().getSpec().getTemplate().getSpec();
            assertThat(RestrictedProfile.violations(pod)).as(lm.getMetadata().getName()).isEmpty();
        }
    }

    @Test
    void liteLlmProxyPodsAreRestricted() throws IOException {
        var manifests = new ManifestReader().read(Path.of("manifests/samples"));
        var rendered = new OfflineRender(OperatorConfig.defaults()).render(manifests);
        List<Deployment> proxies = SamplesGoldenTest.documents(rendered.yaml()).stream()
                .filter(doc -> "Deployment".equals(doc.get("kind")))
                .map(doc -> new KubernetesSerialization().convertValue(doc, Deployment.class))
                .toList();
        assertThat(proxies).isNotEmpty();
        for (Deployment proxy : proxies) {
            assertThat(RestrictedProfile.violations(proxy.getSpec().getTemplate().getSpec()))
                    .as(proxy.getMetadata().getName()).isEmpty();
        }
    }
}
