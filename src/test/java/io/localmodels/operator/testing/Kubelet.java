package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Plays the StatefulSet controller and kubelet, which the mock API server does not run: creates a replica's pod
 * with the StatefulSet's template labels, scheduled or not, ready or not.
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

    private static Pod pod(StatefulSet sts, int ordinal, String scheduled, String ready, String message) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(sts.getMetadata().getName() + "-" + ordinal)
                .withNamespace(sts.getMetadata().getNamespace())
                .withLabels(sts.getSpec().getTemplate().getMetadata().getLabels())
                .endMetadata()
                .withSpec(sts.getSpec().getTemplate().getSpec())
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
