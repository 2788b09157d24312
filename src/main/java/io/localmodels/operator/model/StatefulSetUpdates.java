package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

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
        ObjectMeta a = now.getMetadata();
        ObjectMeta b = before.getMetadata();
        return !Objects.equals(a.getUid(), b.getUid())
                || !Objects.equals(a.getGeneration(), b.getGeneration())
                || !Objects.equals(a.getAnnotations(), b.getAnnotations())
                || !Objects.equals(a.getLabels(), b.getLabels())
                || !Objects.equals(a.getOwnerReferences(), b.getOwnerReferences())
                || !Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp())
                || !Objects.equals(observedGeneration(now), observedGeneration(before));
    }

    private static Long observedGeneration(StatefulSet sts) {
        return sts.getStatus() == null ? null : sts.getStatus().getObservedGeneration();
    }
}
