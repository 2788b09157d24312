package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Test support for running the real {@link Operator} against the fabric8 CRUD mock server: installs our CRDs (the
 * mock only treats {@code status} as a subresource for CRDs it knows) and builds the operator with the same
 * no-SSA settings the shipped operator uses.
 */
public final class MockCluster {

    public static final List<String> CRD_FILES = List.of(
            "META-INF/fabric8/localmodels.localmodels.io-v1.yml",
            "META-INF/fabric8/modelrouters.localmodels.io-v1.yml");

    private MockCluster() {
    }

    /** Creates the generated CRDs in the mock API server (idempotent). */
    public static void installCrds(KubernetesClient client) {
        CRD_FILES.forEach(file -> createCrd(client, file));
    }

    private static void createCrd(KubernetesClient client, String file) {
        try (InputStream in = MockCluster.class.getClassLoader().getResourceAsStream(file)) {
            CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
            if (client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get() == null) {
                client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
