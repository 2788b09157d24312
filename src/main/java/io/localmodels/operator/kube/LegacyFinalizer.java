package io.localmodels.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/**
 * The finalizer earlier versions put on every LocalModel and ModelRouter ({@code <plural>.<group>/finalizer}, JOSDK's
 * default name). The operator no longer needs one: owner references and the StatefulSet's PVC retention policy do
 * the deleting, and in-memory state goes on the informer's delete event. An object that still carries it loses it
 * with one patch, so that deleting it never waits for an operator.
 */
public final class LegacyFinalizer {

    private LegacyFinalizer() {
    }

    /** {@code localmodels.localmodels.io/finalizer} for a LocalModel, and so on. */
    public static String of(Class<? extends HasMetadata> type) {
        return HasMetadata.getFullResourceName(type) + "/finalizer";
    }

    /**
     * Removes the old finalizer when {@code resource} has it (a JSON patch, retried on conflict) and returns true;
     * afterwards {@code resource} carries the new resource version, so a status write in the same reconcile does not
     * conflict with this patch. Does nothing, and returns false, when it is not there.
     */
    public static <P extends HasMetadata> boolean release(KubernetesClient client, P resource) {
        String name = of(resource.getClass());
        if (!resource.hasFinalizer(name)) {
            return false;
        }
        P updated = PrimaryUpdateAndCacheUtils.removeFinalizer(client, resource, name);
        resource.getMetadata().setFinalizers(updated.getMetadata().getFinalizers());
        resource.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
        return true;
    }
}
