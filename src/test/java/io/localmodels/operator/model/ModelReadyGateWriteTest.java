package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.testing.MockCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What one gate change costs the API server: one patch of the pod's status, whatever the kubelet wrote meanwhile. */
class ModelReadyGateWriteTest {

    static final ModelReadyGate.Verdict AWAITING = new ModelReadyGate.Verdict(false, "AwaitingProbe", "waiting");
    static final ModelReadyGate.Verdict OPEN = new ModelReadyGate.Verdict(true, "ProbesSucceeding", "");
    static final ResourceID OWNER = new ResourceID("m", "llm");

    KubernetesMockServer server;
    KubernetesClient client;
    // no hold: these tests are about the patch; ModelReadyGateHoldTest is about when a step is written
    final ModelReadyGate gate = new ModelReadyGate(Clock.fixed(Instant.parse("2026-12-03T11:00:00Z"), ZoneOffset.UTC),
            Duration.ZERO);

    @BeforeEach
    void start() {
        server = MockCluster.apiServer();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void aGateChangeIsOnePatchWithoutAGetAndSurvivesTheKubeletsWritesInBetween() throws Exception {
        Pod cached = client.resource(new PodBuilder().withNewMetadata().withName("m-0").withNamespace("llm")
                .withUid("u0").endMetadata().withNewStatus().addToConditions(condition("PodScheduled", "True"),
                        condition("ContainersReady", "False"), condition("Ready", "False")).endStatus().build())
                .create();
        cached = client.resource(cached).updateStatus(); // the mock keeps status only through the subresource
        drain();

        assertThat(gate.apply(client, OWNER, cached, AWAITING)).isTrue();
        assertThat(drain()).containsExactly("PATCH /api/v1/namespaces/llm/pods/m-0/status");
        Pod afterFirst = client.pods().inNamespace("llm").withName("m-0").get();
        assertThat(afterFirst.getStatus().getConditions()).extracting(PodCondition::getType)
                .containsExactly("PodScheduled", "ContainersReady", "Ready", ModelReadyGate.CONDITION);

        // the kubelet writes the pod's status (its containers became ready): the operator's cache is a version behind
        Pod kubelets = new PodBuilder(afterFirst).build();
        kubelets.getStatus().getConditions().set(1, condition("ContainersReady", "True"));
        client.resource(kubelets).updateStatus();
        drain();

        assertThat(gate.apply(client, OWNER, afterFirst, OPEN)).as("no conflict with the kubelet's write").isTrue();
        assertThat(drain()).containsExactly("PATCH /api/v1/namespaces/llm/pods/m-0/status");
        Pod now = client.pods().inNamespace("llm").withName("m-0").get();
        assertThat(now.getStatus().getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PodScheduled", "True"),
                        org.assertj.core.groups.Tuple.tuple("ContainersReady", "True"),
                        org.assertj.core.groups.Tuple.tuple("Ready", "False"),
                        org.assertj.core.groups.Tuple.tuple(ModelReadyGate.CONDITION, "True"));
        assertThat(now.getStatus().getConditions().get(3).getReason()).isEqualTo("ProbesSucceeding");
        drain(); // this test's own read

        assertThat(gate.apply(client, OWNER, afterFirst, OPEN)).as("written already; the cache lags").isFalse();
        assertThat(gate.apply(client, OWNER, now, OPEN)).as("the pod says so").isFalse();
        assertThat(drain()).isEmpty();
    }

    @Test
    void aCacheThatHasNotSeenTheFirstWriteDoesNotAddTheConditionTwice() throws Exception {
        Pod cached = client.resource(new PodBuilder().withNewMetadata().withName("m-0").withNamespace("llm")
                .withUid("u0").endMetadata().withNewStatus().addToConditions(condition("Ready", "False"))
                .endStatus().build()).create();
        cached = client.resource(cached).updateStatus();

        assertThat(gate.apply(client, OWNER, cached, AWAITING)).isTrue();
        assertThat(gate.apply(client, OWNER, cached, OPEN)).as("waits for the pod's event of the first write").isFalse();
        assertThat(client.pods().inNamespace("llm").withName("m-0").get().getStatus().getConditions())
                .filteredOn(c -> ModelReadyGate.CONDITION.equals(c.getType())).singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("AwaitingProbe"));
    }

    @Test
    void conditionsThatMovedSinceTheCacheAreAConflictNotAWrongEntry() {
        Pod cached = client.resource(new PodBuilder().withNewMetadata().withName("m-0").withNamespace("llm")
                .withUid("u0").endMetadata().withNewStatus().addToConditions(condition("Ready", "False"),
                        new PodConditionBuilder().withType(ModelReadyGate.CONDITION).withStatus("False")
                                .withReason("AwaitingProbe").withMessage("waiting").build())
                .endStatus().build()).create();
        cached = client.resource(cached).updateStatus();
        Pod moved = new PodBuilder(cached).build();
        moved.getStatus().getConditions().add(0, condition("PodScheduled", "True"));
        client.resource(moved).updateStatus();

        assertThat(gate.apply(client, OWNER, cached, OPEN)).isFalse();
        assertThat(client.pods().inNamespace("llm").withName("m-0").get().getStatus().getConditions())
                .extracting(PodCondition::getType, PodCondition::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("PodScheduled", "True"),
                        org.assertj.core.groups.Tuple.tuple("Ready", "False"),
                        org.assertj.core.groups.Tuple.tuple(ModelReadyGate.CONDITION, "False"));
    }

    private static PodCondition condition(String type, String status) {
        return new PodConditionBuilder().withType(type).withStatus(status).build();
    }

    /** The requests the mock answered since the last call, as "VERB path". */
    private List<String> drain() throws InterruptedException {
        List<String> requests = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
            requests.add(r.getMethod() + " " + r.getPath());
        }
        return requests;
    }
}
