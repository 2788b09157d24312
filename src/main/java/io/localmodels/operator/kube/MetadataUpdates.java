package io.localmodels.operator.kube;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.Objects;

/** What of an owned object's metadata an update filter always lets through: a new object, its labels and owners, going. */
public final class MetadataUpdates {

    private MetadataUpdates() {
    }

    /** Whether the uid, labels, annotations, owner references or deletion timestamp moved. */
    public static boolean matter(ObjectMeta now, ObjectMeta before) {
        return !Objects.equals(now.getUid(), before.getUid())
                || !Objects.equals(now.getLabels(), before.getLabels())
                || !Objects.equals(now.getAnnotations(), before.getAnnotations())
                || !Objects.equals(now.getOwnerReferences(), before.getOwnerReferences())
                || !Objects.equals(now.getDeletionTimestamp(), before.getDeletionTimestamp());
    }
}
