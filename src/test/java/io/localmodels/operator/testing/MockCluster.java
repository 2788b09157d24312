package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.javaoperatorsdk.operator.Operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

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

    /**
     * A started CRUD mock API server that also selects Events by field as the real one does
     * ({@link EventFieldSelectors}) and answers a JSON patch it cannot apply with 422 ({@link JsonPatchFailures});
     * {@code expect()} answers first, as with {@code @EnableKubernetesMockClient}.
     * The caller destroys it.
     */
    public static KubernetesMockServer apiServer() {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new JsonPatchFailures(new EventFieldSelectors(new KubernetesMixedDispatcher(expectations))), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    /**
     * JOSDK asks whether it may use leases before it campaigns (every authenticated user may ask, so the chart needs
     * no rule for it): the mock answers that it may, from now on.
     */
    public static void allowLeases(KubernetesMockServer server) {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
                        .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*")
                        .endResourceRule().withIncomplete(false).endStatus().build())
                .always();
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
