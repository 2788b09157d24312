package io.localmodels.operator.faults;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.model.LocalModelReconciler;
import io.localmodels.operator.router.ModelRouterReconciler;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.localmodels.operator.status.StatusWriter;
import io.localmodels.operator.testing.OperatorHarness;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorWorld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An API server that answers 500, 409 or very slowly while the operator reconciles and writes status: the
 * operator retries with back-off, loses nothing, creates nothing twice and keeps serving the other resources.
 * Mock expectations answer first; when they are used up, the CRUD store answers as usual.
 */
class ApiServerFaultsTest {

    static final String MODELS = "/apis/localmodels.io/v1alpha1/namespaces/llm/localmodels/";
    static final String STATEFULSETS = "/apis/apps/v1/namespaces/llm/statefulsets";

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(Duration.ofSeconds(1)));
    KubernetesClient client;
    ModelsInCluster models;
    KubernetesMockServer server;
    OperatorHarness harness;
    final List<String> requests = new ArrayList<>();

    @BeforeEach
    void setUp() {
        client = world.client();
        models = world.models();
        server = world.server();
    }

    /** Every request so far, as "METHOD path". */
    private List<String> requests() {
        requests.addAll(harness.drainRequests());
        return requests;
    }

    private long count(String method, String path) {
        return requests().stream().filter(r -> r.equals(method + " " + path)).count();
    }

    private static String status(int code, String reason, String message) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":" + code
                + ",\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}";
    }

    @Test
    void statusWritesAnswered500AreRetriedAndLandWithoutAHotLoop() {
        server.expect().put().withPath(MODELS + "m/status")
                .andReturn(500, status(500, "InternalError", "etcdserver: leader changed")).times(3);
        harness = world.start();
        client.resource(ModelSpecs.managed(client, "m")).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> "Pending".equals(models.phase("m")));
        // three refusals and the write that landed; a reconcile loop without back-off would send dozens
        assertThat(count("PUT", MODELS + "m/status")).isBetween(4L, 6L);
        assertThat(count("POST", STATEFULSETS)).isEqualTo(1);
        assertThat(models.get("m").getStatus().getEndpoint()).isEqualTo("http://m.llm.svc.cluster.local:11434");
        quietOnceAtPending();
    }

    @Test
    void conflictingStatusWritesAreRetriedOnFreshState() {
        server.expect().put().withPath(MODELS + "m/status")
                .andReturn(409, status(409, "Conflict", "the object has been modified; please apply your changes to the latest version")).times(2);
        harness = world.start();
        client.resource(ModelSpecs.managed(client, "m")).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> "Pending".equals(models.phase("m")));
        assertThat(count("PUT", MODELS + "m/status")).isBetween(3L, 5L);
        assertThat(count("POST", STATEFULSETS)).isEqualTo(1);
        quietOnceAtPending();
    }

    @Test
    void workloadWritesAnswered500Or409AreRetriedAndNothingIsCreatedTwice() {
        server.expect().post().withPath(STATEFULSETS)
                .andReturn(500, status(500, "InternalError", "etcdserver: request timed out")).times(2);
        server.expect().put().withPath(STATEFULSETS + "/m")
                .andReturn(409, status(409, "Conflict", "the object has been modified")).once();
        harness = world.start();
        client.resource(ModelSpecs.managed(client, "m")).create();

        StatefulSet created = await().atMost(Duration.ofSeconds(20))
                .until(() -> client.apps().statefulSets().inNamespace("llm").withName("m").get(), s -> s != null);
        await().atMost(Duration.ofSeconds(20)).until(() -> "Pending".equals(models.phase("m")));
        assertThat(client.services().inNamespace("llm").list().getItems()).hasSize(1);

        // a spec change whose first update conflicts still reaches the StatefulSet
        client.resources(LocalModel.class).inNamespace("llm").withName("m").edit(lm -> {
            lm.getSpec().setReplicas(2);
            return lm;
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            StatefulSet sts = client.apps().statefulSets().inNamespace("llm").withName("m").get();
            assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
            assertThat(sts.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        });
        assertThat(count("PUT", STATEFULSETS + "/m")).isBetween(2L, 3L);
        assertThat(client.apps().statefulSets().inNamespace("llm").list().getItems()).hasSize(1);
    }

    @Test
    void aStatusWriteThatHangsTimesOutIsRetriedAndHoldsUpNobodyElse() {
        KubernetesClient impatient = world.newClient(c -> c.withRequestTimeout(1_000).withRequestRetryBackoffLimit(0));
        server.expect().put().delay(4, TimeUnit.SECONDS).withPath(MODELS + "slow/status")
                .andReturn(200, "{}").once();
        harness = world.startThrough(impatient);
        client.resource(ModelSpecs.managed(client, "slow")).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> count("PUT", MODELS + "slow/status") >= 1);

        // while that write hangs, another model is served as usual
        client.resource(ModelSpecs.managed(client, "other")).create();
        await().atMost(Duration.ofSeconds(3)).until(() -> "Pending".equals(models.phase("other")));

        await().atMost(Duration.ofSeconds(20)).until(() -> "Pending".equals(models.phase("slow")));
        assertThat(count("PUT", MODELS + "slow/status")).isBetween(2L, 4L);
        assertThat(count("POST", STATEFULSETS)).isEqualTo(2);
    }

    @Test
    void reconcilesKeepBeingRetriedThroughALongOutage() {
        harness = world.start();
        // JOSDK's default gives up after 5 retries, about 20 s into an outage of 409s or timeouts, and a quiet
        // resource then waits hours for its next event (measured against this mock: status never landed). A test
        // of the outage itself would take minutes; the retry policy is what protects, so it is checked here.
        for (String controller : List.of(LocalModelReconciler.NAME, ModelRouterReconciler.NAME)) {
            var retry = (GenericRetry) harness.operator().operator().getRegisteredController(controller)
                    .orElseThrow().getConfiguration().getRetry();
            assertThat(retry.getMaxAttempts()).as(controller).isEqualTo(-1);
            assertThat(retry.getMaxInterval()).as(controller).isEqualTo(60_000);
            assertThat(retry.getInitialInterval()).as(controller).isEqualTo(2_000);
            var execution = retry.initExecution();
            for (int attempt = 0; attempt < 50; attempt++) {
                assertThat(execution.nextDelay()).as(controller)
                        .hasValueSatisfying(d -> assertThat(d).isBetween(2_000L, 60_000L));
            }
        }
    }

    /**
     * Once the Pending status has landed, the world is unchanged: nothing more is written (Pending is a routine step,
     * it gets no Event), also not after a status write could have been held.
     */
    private void quietOnceAtPending() {
        quietFor(StatusWriter.COALESCE.plusSeconds(1));
    }

    private void quietFor(Duration window) {
        requests();
        int before = requests.size();
        await().during(window).atMost(window.plusSeconds(2))
                .until(() -> OperatorHarness.writes(requests().subList(before, requests.size())).isEmpty());
    }
}
