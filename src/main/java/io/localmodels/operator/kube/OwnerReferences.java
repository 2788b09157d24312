package io.localmodels.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.util.List;

/** The owner reference every object the operator makes carries, so deleting the resource collects them. */
public final class OwnerReferences {

    private OwnerReferences() {
    }

    /**
     * A controller reference to {@code owner}; none when it has no uid (offline {@code render}): the API server
     * rejects an owner reference without one.
     */
    public static List<OwnerReference> controlledBy(HasMetadata owner) {
        if (owner.getMetadata().getUid() == null) {
            return List.of();
        }
        return List.of(new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build());
    }
}
