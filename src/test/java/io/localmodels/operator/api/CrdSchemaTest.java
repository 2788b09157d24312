package io.localmodels.operator.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed CRDs carry what kubectl users rely on: the printer columns in order, and the schema's rules. */
class CrdSchemaTest {

    static CustomResourceDefinition crd(String file) throws IOException {
        return new KubernetesSerialization().unmarshal(Files.readString(Path.of("crds", file)), CustomResourceDefinition.class);
    }

    static JSONSchemaProps spec(CustomResourceDefinition crd) {
        return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }

    @Test
    void localModelPrintsTheHealthColumnsInOrder() throws IOException {
        CustomResourceDefinition crd = crd("localmodels.localmodels.io-v1.yml");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("lm");
        assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("Model", "Phase", "Ready", "Success", "P95(ms)", "Circuit", "Age");
        assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
    }

    @Test
    void localModelSchemaValidates() throws IOException {
        JSONSchemaProps spec = spec(crd("localmodels.localmodels.io-v1.yml"));
        assertThat(spec.getRequired()).containsExactly("model");
        assertThat(spec.getProperties().get("replicas").getMinimum()).isEqualTo(0.0);
        assertThat(spec.getProperties().get("gpu").getProperties().get("vendor").getEnum())
                .extracting(Object::toString).containsExactlyInAnyOrder("\"nvidia\"", "\"amd\"");
        assertThat(spec.getProperties().get("probe").getProperties().get("think").getEnum())
                .extracting(Object::toString).containsExactlyInAnyOrder("\"auto\"", "\"off\"", "\"low\"", "\"medium\"", "\"high\"");
        assertThat(spec.getProperties().get("probe").getProperties().get("interval").getPattern()).isEqualTo(Api.DURATION);
        assertThat(spec.getProperties().get("replicas").getType()).isEqualTo("integer");
        JSONSchemaProps ollama = spec.getProperties().get("ollama");
        assertThat(ollama.getProperties().get("keepAlive").getPattern()).isEqualTo(Api.KEEP_ALIVE);
        assertThat(ollama.getProperties().get("contextLength").getMinimum()).isEqualTo(512.0);
        JSONSchemaProps groups = spec.getProperties().get("gpu").getProperties().get("supplementalGroups");
        assertThat(groups.getItems().getSchema().getType()).isEqualTo("integer");
        assertThat(groups.getXKubernetesValidations()).singleElement()
                .satisfies(rule -> assertThat(rule.getRule()).contains("g >= 0"));
        assertThat(spec.getXKubernetesValidations()).singleElement().satisfies(rule -> {
            assertThat(rule.getRule()).contains("has(self.external)").contains("self.gpu").contains("self.replicas")
                    .contains("self.storage").contains("self.image");
            assertThat(rule.getMessage()).contains("spec.external excludes");
        });
    }

    @Test
    void modelRouterPrintsItsColumnsInOrder() throws IOException {
        CustomResourceDefinition crd = crd("modelrouters.localmodels.io-v1.yml");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("mr");
        assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("Models", "Healthy", "Endpoint", "Ready", "Phase", "Age");
        assertThat(spec(crd).getRequired()).contains("models");
    }
}
