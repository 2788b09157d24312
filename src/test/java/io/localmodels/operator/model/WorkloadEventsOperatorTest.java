package io.localmodels.operator.model;

import io.localmodels.operator.api.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.ControllerEvents;
import io.localmodels.operator.testing.Kubelet;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorWorld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static io.localmodels.operator.testing.StatusConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pods that cannot be created and volumes that do not bind, seen by the real operator as a real cluster shows them:
 * no pod (or an unscheduled one) and the controllers' Events, in a mock API server that selects Events by field like
 * a real one. The LocalModel says what the controllers said, and stops saying it when the problem is gone.
 */
class WorkloadEventsOperatorTest {

    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final String DIGEST = "d".repeat(64);
    static final String UNBOUND = "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
            + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";

    // the status period is also how often a stuck model looks at the controllers' Events again
    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(Duration.ofMillis(300)));
    KubernetesClient client;
    ModelsInCluster models;
    Kubelet kubelet;
    ControllerEvents controllers;

    @BeforeEach
    void start() {
        client = world.client();
        models = world.models();
        world.ollama().addModel("qwen3:30b", DIGEST, 1000);
        kubelet = world.kubelet();
        controllers = new ControllerEvents(client);
        world.start();
    }

    @Test
    void aPodRejectedForAMissingRuntimeClassFailsTheModelUntilThePodIsCreated() {
        client.resource(model("qwen3-30b", "  gpu: {count: 1, vendor: nvidia, runtimeClassName: nvidia}\n")).create();
        StatefulSet sts = models.awaitStatefulSet("qwen3-30b");
        // a deleted namesake's Event, newer than today's: selected by uid, it does not count
        StatefulSet namesake = new StatefulSetBuilder(sts).editMetadata().withUid("0b3c5d7e-old").endMetadata().build();
        controllers.podNotCreated(namesake, 0, "pods \"qwen3-30b-0\" is forbidden: exceeded quota: old", 1,
                T0.plusSeconds(500), T0.plusSeconds(500));
        PersistentVolumeClaim claim = kubelet.pendingClaim(sts, 0);
        // the claim is created, the pod rejected 40 ms later (the same second), and again on each retry
        controllers.claimCreated(sts, 0, claim.getMetadata().getName(), T0);
        controllers.podNotCreated(sts, 0, "pods \"qwen3-30b-0\" is forbidden: pod rejected: RuntimeClass \"nvidia\" not found",
                6, T0.plusMillis(40), T0.plusSeconds(95));

        String rejected = "create Pod qwen3-30b-0 in StatefulSet qwen3-30b failed error: pods \"qwen3-30b-0\" is "
                + "forbidden: pod rejected: RuntimeClass \"nvidia\" not found";
        await().untilAsserted(() -> {
            LocalModel lm = get("qwen3-30b");
            assertThat(lm.getStatus().getPhase()).isEqualTo(Phase.FAILED.value());
            assertThat(condition(lm, "Ready").getReason()).isEqualTo("FailedCreate");
            assertThat(condition(lm, "Ready").getMessage()).isEqualTo(rejected);
            assertThat(condition(lm, "Scheduled").getStatus()).isEqualTo("False");
            assertThat(condition(lm, "Scheduled").getMessage()).isEqualTo(rejected);
        });

        // the RuntimeClass is installed: the controller's next attempt creates the pod
        controllers.podCreated(sts, 0, T0.plusSeconds(400));
        kubelet.readyPod(sts, 0);

        await().untilAsserted(() -> {
            LocalModel lm = get("qwen3-30b");
            // the first probe runs at once and status coalesces a second: Loading may be written as Ready
            assertThat(lm.getStatus().getPhase()).isIn(Phase.LOADING.value(), Phase.READY.value());
            assertThat(condition(lm, "Scheduled").getStatus()).isEqualTo("True");
        });
    }

    @Test
    void aClaimThatCannotBindWithoutADefaultStorageClassKeepsTheModelSchedulingUntilItIsBound() {
        client.resource(model("m", "")).create();
        StatefulSet sts = models.awaitStatefulSet("m");
        PersistentVolumeClaim claim = kubelet.pendingClaim(sts, 0);
        controllers.record(claim, ControllerEvents.PV_CONTROLLER, "Normal", "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set", 14, T0, T0.plusSeconds(195));
        kubelet.unschedulablePod(sts, 0, UNBOUND);

        await().untilAsserted(() -> {
            LocalModel lm = get("m");
            assertThat(lm.getStatus().getPhase()).isEqualTo(Phase.SCHEDULING.value());
            assertThat(condition(lm, "Scheduled").getReason()).isEqualTo("FailedBinding");
            assertThat(condition(lm, "Scheduled").getMessage()).isEqualTo("pod m-0: PersistentVolumeClaim models-m-0 is "
                    + "Pending: no persistent volumes available for this claim and no storage class is set");
            assertThat(condition(lm, "Ready").getReason()).isEqualTo("FailedBinding");
        });

        // a default StorageClass appears and the claim binds; until the scheduler tries again, it says why it waited
        kubelet.bind(claim);
        await().untilAsserted(() -> {
            Condition scheduled = condition(get("m"), "Scheduled");
            assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
            assertThat(scheduled.getMessage()).isEqualTo("pod m-0: " + UNBOUND);
        });

        kubelet.readyPod(sts, 0);
        await().untilAsserted(() -> {
            LocalModel lm = get("m");
            assertThat(condition(lm, "Scheduled").getStatus()).isEqualTo("True");
            // the first probe runs at once and status coalesces a second: Loading may be written as Ready
            assertThat(lm.getStatus().getPhase()).isIn(Phase.LOADING.value(), Phase.READY.value());
        });
    }

    @Test
    void anUnknownStorageClassShowsThePvControllersProvisioningFailure() {
        client.resource(model("m", "  storage: {size: 50Gi, storageClassName: fast-ssd}\n")).create();
        StatefulSet sts = models.awaitStatefulSet("m");
        PersistentVolumeClaim claim = kubelet.pendingClaim(sts, 0);
        controllers.record(claim, ControllerEvents.PV_CONTROLLER, "Warning", "ProvisioningFailed",
                "storageclass.storage.k8s.io \"fast-ssd\" not found", 9, T0, T0.plusSeconds(120));
        kubelet.unschedulablePod(sts, 0, UNBOUND);

        await().untilAsserted(() -> {
            LocalModel lm = get("m");
            assertThat(lm.getStatus().getPhase()).isEqualTo(Phase.SCHEDULING.value());
            assertThat(condition(lm, "Scheduled").getReason()).isEqualTo("ProvisioningFailed");
            assertThat(condition(lm, "Scheduled").getMessage()).isEqualTo("pod m-0: PersistentVolumeClaim models-m-0 is "
                    + "Pending: storageclass.storage.k8s.io \"fast-ssd\" not found");
        });
    }

    LocalModel model(String name, String extra) {
        return client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: %s, namespace: llm}
                spec:
                  model: 'qwen3:30b'
                  probe: {interval: 1h}
                %s""".formatted(name, extra), LocalModel.class);
    }

    /** The LocalModel once it has a status (an AssertionError before, so that awaiting goes on). */
    LocalModel get(String name) {
        LocalModel lm = models.get(name);
        assertThat(lm.getStatus()).as("status of %s", name).isNotNull();
        return lm;
    }
}
