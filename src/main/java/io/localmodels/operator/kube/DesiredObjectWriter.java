package io.localmodels.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Creates or updates an object the operator owns, only when the desired object changed. "Changed" is judged by a
 * hash of the desired object kept in an annotation: the API server fills in defaults, so comparing whole objects
 * would write (and roll pods) on every reconcile. Plain create/update: the mock API server has no server-side apply,
 * and the shipped operator runs the same code path. The informer cache learns of our own writes at once, so the
 * next reconcile does not write again from a stale copy.
 */
public final class DesiredObjectWriter {

    public static final String DESIRED_HASH = "localmodels.io/desired-hash";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesClient client;

    public DesiredObjectWriter(KubernetesClient client) {
        this.client = client;
    }

    /** An object of that name exists but is not ours: never take it over. */
    public static final class NameTakenException extends RuntimeException {
        public NameTakenException(HasMetadata desired) {
            super("a " + desired.getKind() + " named " + desired.getMetadata().getName() + " already exists in namespace "
                    + desired.getMetadata().getNamespace() + " and is not managed by this resource; rename the resource "
                    + "or remove that " + desired.getKind());
        }
    }

    /** Returns the object now in the cluster: {@code live} when nothing had to change. */
    public <T extends HasMetadata, P extends HasMetadata> T apply(InformerEventSource<T, P> cache, ResourceID owner,
                                                                  T desired, T live) {
        return apply(cache, owner, desired, live, (d, l) -> { });
    }

    /**
     * The same; {@code keepFromLive} copies what cannot change (a StatefulSet's selector, a Service's cluster IP)
     * from the live object into the desired one when the live object is found only at create time: ours, but not in
     * this cache (its LocalModel or router moved here from another shard, or its labels were edited away). It is
     * updated, labels included, and so comes back into the cache.
     */
    public <T extends HasMetadata, P extends HasMetadata> T apply(InformerEventSource<T, P> cache, ResourceID owner,
                                                                  T desired, T live, BiConsumer<T, T> keepFromLive) {
        Map<String, String> asBuilt = desired.getMetadata().getAnnotations();
        String hash = hash(desired);
        if (live != null && live.getMetadata().getAnnotations() != null
                && hash.equals(live.getMetadata().getAnnotations().get(DESIRED_HASH))) {
            return live;
        }
        Map<String, String> annotations = desired.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(desired.getMetadata().getAnnotations());
        annotations.put(DESIRED_HASH, hash);
        desired.getMetadata().setAnnotations(annotations);
        if (live == null) {
            try {
                T created = client.resource(desired).create();
                cache.handleRecentResourceCreate(owner, created);
                return created;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                T existing = client.resource(desired).get();
                if (existing == null || !sameController(existing, desired)) {
                    throw new NameTakenException(desired);
                }
                desired.getMetadata().setAnnotations(asBuilt);
                keepFromLive.accept(desired, existing);
                T adopted = apply(cache, owner, desired, existing, keepFromLive);
                cache.handleRecentResourceCreate(owner, adopted);
                return adopted;
            }
        }
        desired.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
        // status is ignored by an update; keep what the cluster reported in the cached copy
        if (desired instanceof Deployment d && live instanceof Deployment l) {
            d.setStatus(l.getStatus());
        } else if (desired instanceof StatefulSet d && live instanceof StatefulSet l) {
            d.setStatus(l.getStatus());
        }
        T updated = client.resource(desired).update();
        cache.handleRecentResourceUpdate(owner, updated, live);
        return updated;
    }

    /** Whether both name the same controlling owner (by uid): the existing object is ours under another cache. */
    private static boolean sameController(HasMetadata existing, HasMetadata desired) {
        Optional<String> want = controllerUid(desired);
        return want.isPresent() && want.equals(controllerUid(existing));
    }

    private static Optional<String> controllerUid(HasMetadata o) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        return refs == null ? Optional.empty() : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController()))
                .map(OwnerReference::getUid).filter(Objects::nonNull).findFirst();
    }

    static String hash(HasMetadata object) {
        return Sha256.hex(JSON.asJson(object));
    }
}
