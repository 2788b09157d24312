package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.testing.MockCluster;
import io.localmodels.operator.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a gate step is written: a pod that does not serve shows a not-ready step only once it has lasted the hold, so
 * a clean bring-up writes its gate once; opening the gate and closing an open one are written at once.
 */
class ModelReadyGateHoldTest {

    static final ResourceID OWNER = new ResourceID("m", "llm");
    static final Duration HOLD = Duration.ofSeconds(30);
    static final ModelReadyGate.Verdict CHECKING = new ModelReadyGate.Verdict(false, "CheckingModel", "checking");
    static final ModelReadyGate.Verdict PULLING = new ModelReadyGate.Verdict(false, "Pulling", "pulling");
    static final ModelReadyGate.Verdict AWAITING = new ModelReadyGate.Verdict(false, "AwaitingProbe", "waiting");
    static final ModelReadyGate.Verdict OPEN = new ModelReadyGate.Verdict(true, "ProbesSucceeding", "");
    static final ModelReadyGate.Verdict CIRCUIT_OPEN = new ModelReadyGate.Verdict(false, "CircuitOpen", "open");

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T11:00:00Z"));
    final ModelReadyGate gate = new ModelReadyGate(clock, HOLD);
    KubernetesMockServer server;
    KubernetesClient client;

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
    void aCleanBringUpWritesTheGateOnceWhenItOpens() {
        Pod pod = pod();
        assertThat(gate.apply(client, OWNER, pod, CHECKING)).isFalse();
        assertThat(gate.heldUntil(OWNER)).contains(clock.instant().plus(HOLD));
        clock.advance(Duration.ofSeconds(2));
        assertThat(gate.apply(client, OWNER, pod, AWAITING)).as("still within the hold of the first step").isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(gate.apply(client, OWNER, pod, OPEN)).isTrue();
        assertThat(gate.heldUntil(OWNER)).isEmpty();
        assertThat(gateOf(live()).getStatus()).isEqualTo("True");
    }

    @Test
    void aStepThatLastsTheHoldIsShownWithItsReason() {
        Pod pod = pod();
        assertThat(gate.apply(client, OWNER, pod, CHECKING)).isFalse();
        clock.advance(Duration.ofSeconds(5));
        assertThat(gate.apply(client, OWNER, pod, PULLING)).isFalse();
        clock.advance(HOLD.minusSeconds(5));
        assertThat(gate.apply(client, OWNER, pod, PULLING)).as("held since the first step: due now").isTrue();
        PodCondition shown = gateOf(live());
        assertThat(shown.getStatus()).isEqualTo("False");
        assertThat(shown.getReason()).isEqualTo("Pulling");

        // the next step waits its own hold, counted from when it was first seen
        Pod pulling = live();
        clock.advance(Duration.ofSeconds(1));
        assertThat(gate.apply(client, OWNER, pulling, AWAITING)).isFalse();
        assertThat(gate.heldUntil(OWNER)).contains(clock.instant().plus(HOLD));
        clock.advance(Duration.ofSeconds(3));
        assertThat(gate.apply(client, OWNER, pulling, OPEN)).as("opening is never held").isTrue();
    }

    @Test
    void closingAnOpenGateIsWrittenAtOnce() {
        Pod pod = pod();
        assertThat(gate.apply(client, OWNER, pod, OPEN)).isTrue();
        Pod open = live();
        assertThat(gate.apply(client, OWNER, open, CIRCUIT_OPEN)).isTrue();
        assertThat(gateOf(live()).getReason()).isEqualTo("CircuitOpen");
        assertThat(gate.heldUntil(OWNER)).isEmpty();
    }

    @Test
    void aHeldStepUndoneBeforeItIsDueIsNeverWrittenAndAGonePodsStepIsDropped() {
        Pod pod = pod();
        gate.apply(client, OWNER, pod, PULLING);
        clock.advance(HOLD);
        assertThat(gate.apply(client, OWNER, pod, PULLING)).isTrue();
        Pod pulling = live();
        assertThat(gate.apply(client, OWNER, pulling, AWAITING)).isFalse();
        assertThat(gate.apply(client, OWNER, pulling, PULLING)).as("what the pod says already").isFalse();
        assertThat(gate.heldUntil(OWNER)).isEmpty();

        assertThat(gate.apply(client, OWNER, pulling, AWAITING)).isFalse();
        gate.retain(OWNER, List.of());
        assertThat(gate.heldUntil(OWNER)).isEmpty();
    }

    private Pod pod() {
        Pod created = client.resource(new PodBuilder().withNewMetadata().withName("m-0").withNamespace("llm")
                .withUid("u0").endMetadata().withNewStatus().addToConditions(new PodConditionBuilder()
                        .withType("Ready").withStatus("False").build()).endStatus().build()).create();
        return client.resource(created).updateStatus();
    }

    private Pod live() {
        return client.pods().inNamespace("llm").withName("m-0").get();
    }

    private static PodCondition gateOf(Pod pod) {
        return pod.getStatus().getConditions().stream().filter(c -> ModelReadyGate.CONDITION.equals(c.getType()))
                .findFirst().orElseThrow();
    }
}
