package io.localmodels.operator.install;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.yaml.snakeyaml.Yaml;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.localmodels.operator.testing.StrictFieldValidation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CRDs and samples are applied the way kubectl applies them: read as YAML 1.1, and with strict field validation,
 * which rejects any field the CRD's schema does not declare. On a real API server the sample ModelRouter was
 * rejected this way, because the CRD's {@code on} property had arrived as {@code true}.
 */
class StrictApplyTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void start() throws IOException {
        // the committed CRDs as kubectl reads them (YAML 1.1): how the old `on` property became `true`
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (String file : List.of("crds/localmodels.localmodels.io-v1.yml", "crds/modelrouters.localmodels.io-v1.yml")) {
            Object yaml11 = new Yaml().load(Files.readString(Path.of(file)));
            crds.add(Serialization.jsonMapper().convertValue(yaml11, CustomResourceDefinition.class));
        }
        server = StrictFieldValidation.server(crds);
        client = server.createClient();
        crds.forEach(crd -> client.resource(crd).create());
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void everySampleIsAcceptedWithStrictFieldValidation() throws IOException {
        List<Path> samples;
        try (Stream<Path> files = Files.list(Path.of("manifests/samples"))) {
            samples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(samples).isNotEmpty();
        int applied = 0;
        for (Path sample : samples) {
            for (HasMetadata object : RenderedChart.parse(Files.readString(sample)).objects()) {
                client.resource(object).fieldValidation(Validation.STRICT).create();
                applied++;
            }
        }
        assertThat(client.genericKubernetesResources("localmodels.io/v1alpha1", "LocalModel").inAnyNamespace().list().getItems())
                .hasSize(4);
        assertThat(client.genericKubernetesResources("localmodels.io/v1alpha1", "ModelRouter").inAnyNamespace().list().getItems())
                .hasSize(1);
        assertThat(applied).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aFieldTheSchemaDoesNotDeclareIsRejectedWithTheApiServersMessage() {
        GenericKubernetesResource router = client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: ModelRouter
                metadata: {name: gateway, namespace: llm}
                spec:
                  models: [{name: 'qwen3:30b', backends: [{localModel: qwen3-30b}]}]
                  callbacks: [{type: langfuse, secretRef: lf, "on": [success]}]
                  masterKeySecretRef: {name: mk, key: masterKey}
                """, GenericKubernetesResource.class);

        assertThatThrownBy(() -> client.resource(router).fieldValidation(Validation.STRICT).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getStatus().getMessage()).isEqualTo("ModelRouter in version \"v1alpha1\" cannot be "
                            + "handled as a ModelRouter: strict decoding error: unknown field \"spec.callbacks[0].on\"");
                });
        assertThat(client.genericKubernetesResources("localmodels.io/v1alpha1", "ModelRouter").inNamespace("llm")
                .withName("gateway").get()).isNull();
    }

    @Test
    void nestedTyposAreFoundAndDeclaredMapsTakeAnyKey() {
        GenericKubernetesResource model = client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: m, namespace: llm}
                spec:
                  model: 'qwen3:8b'
                  gpu: {cout: 1}
                  nodeSelector: {disktype: ssd}
                  resources: {requests: {cpu: "1"}}
                  ollama: {env: [{name: A, value: b, valeu: c}]}
                """, GenericKubernetesResource.class);

        assertThatThrownBy(() -> client.resource(model).fieldValidation(Validation.STRICT).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .endsWith("strict decoding error: unknown field \"spec.gpu.cout\", unknown field \"spec.ollama.env[0].valeu\""));
        // without strict validation the write goes through, as kubectl --validate=false does
        client.resource(model).create();
    }
}
