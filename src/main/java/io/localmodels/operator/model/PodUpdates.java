package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.localmodels.operator.kube.MetadataUpdates;

import java.util.List;
import java.util.Objects;

/**
 * Which updates of an Ollama pod a LocalModel reconcile must see: all but those that only move the pod's
 * {@code Ready} condition. The kubelet derives Ready from {@code ContainersReady} and the readiness gates
 * ({@code pkg/kubelet/status/generate.go}), and the reconcile reads those, not Ready: each of them arrives in an
 * update of its own. Ready following the model gate the operator just set was one reconcile per model in a
 * bring-up, with nothing new to see.
 */
final class PodUpdates {

    private static final String READY = "Ready";

    private PodUpdates() {
    }

    static boolean matter(Pod now, Pod before) {
        return MetadataUpdates.matter(now.getMetadata(), before.getMetadata())
                || !Objects.equals(now.getSpec(), before.getSpec())
                || !Objects.equals(withoutReady(now.getStatus()), withoutReady(before.getStatus()));
    }

    private static PodStatus withoutReady(PodStatus status) {
        if (status == null || status.getConditions() == null) {
            return status;
        }
        List<PodCondition> others = status.getConditions().stream().filter(c -> !READY.equals(c.getType())).toList();
        return new PodStatusBuilder(status).withConditions(others).build();
    }
}
