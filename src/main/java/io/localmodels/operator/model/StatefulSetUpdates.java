package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.localmodels.operator.kube.MetadataUpdates;

import java.util.Objects;

/**
 * Which updates of an Ollama StatefulSet a LocalModel reconcile must see. The StatefulSet controller writes its
 * status's replica counts several times as each pod comes up; a reconcile reads the pods themselves for that, and of
 * the StatefulSet only its identity, desired-hash annotation, spec (its generation) and whether the controller has
 * synced the current generation ({@code status.observedGeneration}, for its Events about pods it could not create).
 * A reconcile per count was about one in ten of a bring-up's reconciles.
 */
final class StatefulSetUpdates {

    private StatefulSetUpdates() {
    }

    static boolean matter(StatefulSet now, StatefulSet before) {
        return MetadataUpdates.matter(now.getMetadata(), before.getMetadata())
                || !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
                || !Objects.equals(observedGeneration(now), observedGeneration(before));
    }

    private static Long observedGeneration(StatefulSet sts) {
        return sts.getStatus() == null ? null : sts.getStatus().getObservedGeneration();
    }
}
