package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PodUpdatesTest {

    /** A pod as the kubelet writes it: Ready follows ContainersReady and the model gate. */
    private static Pod pod(String version, String containersReady, String gate, String ready, String ip) {
        return new PodBuilder().withNewMetadata().withName("m-0").withUid("u1").withResourceVersion(version).endMetadata()
                .withNewSpec().addNewReadinessGate(ModelReadyGate.CONDITION).endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip)
                .addNewCondition().withType("ContainersReady").withStatus(containersReady).endCondition()
                .addNewCondition().withType(ModelReadyGate.CONDITION).withStatus(gate).endCondition()
                .addNewCondition().withType("Ready").withStatus(ready).withLastTransitionTime("2026-12-03T10:00:0" + version + "Z")
                .endCondition()
                .endStatus().build();
    }

    @Test
    void readyFollowingTheGateAloneDoesNotMatter() {
        // the gate's write was its own update; the kubelet's Ready after it says nothing new
        assertThat(PodUpdates.matter(pod("2", "True", "True", "True", "10.0.0.1"),
                pod("1", "True", "True", "False", "10.0.0.1"))).isFalse();
    }

    @Test
    void whatTheReconcileReadsMatters() {
        Pod before = pod("1", "True", "False", "False", "10.0.0.1");
        assertThat(PodUpdates.matter(pod("2", "True", "True", "False", "10.0.0.1"), before)).as("the gate").isTrue();
        assertThat(PodUpdates.matter(pod("2", "False", "False", "False", "10.0.0.1"), before)).as("containers").isTrue();
        assertThat(PodUpdates.matter(pod("2", "True", "False", "False", "10.0.0.2"), before)).as("pod IP").isTrue();
        Pod going = pod("2", "True", "False", "False", "10.0.0.1");
        going.getMetadata().setDeletionTimestamp("2026-12-03T10:00:05Z");
        assertThat(PodUpdates.matter(going, before)).as("deletion").isTrue();
        Pod recreated = pod("2", "True", "False", "False", "10.0.0.1");
        recreated.getMetadata().setUid("u2");
        assertThat(PodUpdates.matter(recreated, before)).as("uid").isTrue();
    }
}
