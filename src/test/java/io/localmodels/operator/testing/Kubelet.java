package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;

/**
 * Plays the StatefulSet controller and kubelet, which the mock API server does not run: creates a replica's pod
 * with the StatefulSet's template labels and claim volumes, scheduled or not, ready or not, and its claim.
 */
public final class Kubelet {

    private final KubernetesClient client;

    public Kubelet(KubernetesClient client) {
        this.client = client;
    }

    public Pod readyPod(StatefulSet sts, int ordinal) {
        return client.resource(pod(sts, ordinal, "True", "True", null)).createOr(existing -> existing.update());
    }

    public Pod unschedulablePod(StatefulSet sts, int ordinal, String schedulerMessage) {
        return client.resource(pod(sts, ordinal, "False", "False", schedulerMessage)).createOr(existing -> existing.update());
    }

    /**
     * The claim the StatefulSet controller creates for a replica before its pod: {@code <template>-<pod>}, labelled
     * with the StatefulSet's selector, {@code Pending} until a volume binds it.
     */
    public PersistentVolumeClaim pendingClaim(StatefulSet sts, int ordinal) {
        PersistentVolumeClaim template = sts.getSpec().getVolumeClaimTemplates().get(0);
        return client.resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(template.getMetadata().getName() + "-" + podName(sts, ordinal))
                .withNamespace(sts.getMetadata().getNamespace())
                .withLabels(sts.getSpec().getSelector().getMatchLabels())
                .endMetadata()
                .withSpec(template.getSpec())
                .withNewStatus().withPhase("Pending").endStatus()
                .build()).create();
    }

    /** What the PV controller does once a volume fits: the claim is Bound. */
    public PersistentVolumeClaim bind(PersistentVolumeClaim claim) {
        return client.resource(claim).editStatus(c -> {
            c.getStatus().setPhase("Bound");
            return c;
        });
    }

    private static String podName(StatefulSet sts, int ordinal) {
        return sts.getMetadata().getName() + "-" + ordinal;
    }

    private static Pod pod(StatefulSet sts, int ordinal, String scheduled, String ready, String message) {
        // the StatefulSet controller adds a volume per claim template, naming the replica's claim
        List<Volume> claims = sts.getSpec().getVolumeClaimTemplates() == null ? List.of()
                : sts.getSpec().getVolumeClaimTemplates().stream().map(t -> new VolumeBuilder()
                        .withName(t.getMetadata().getName()).withNewPersistentVolumeClaim()
                        .withClaimName(t.getMetadata().getName() + "-" + podName(sts, ordinal))
                        .endPersistentVolumeClaim().build()).toList();
        return new PodBuilder()
                .withNewMetadata()
                .withName(podName(sts, ordinal))
                .withNamespace(sts.getMetadata().getNamespace())
                .withLabels(sts.getSpec().getTemplate().getMetadata().getLabels())
                .endMetadata()
                .withSpec(new PodSpecBuilder(sts.getSpec().getTemplate().getSpec()).addAllToVolumes(claims).build())
                .withNewStatus()
                .withPhase("True".equals(ready) ? "Running" : "Pending")
                .withPodIP("True".equals(ready) ? "10.1.0." + (10 + ordinal) : null)
                .addNewCondition().withType("PodScheduled").withStatus(scheduled)
                .withReason("False".equals(scheduled) ? "Unschedulable" : null).withMessage(message).endCondition()
                .addNewCondition().withType("Ready").withStatus(ready).endCondition()
                .endStatus()
                .build();
    }
}
