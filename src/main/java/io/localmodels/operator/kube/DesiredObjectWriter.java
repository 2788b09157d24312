package io.localmodels.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.LinkedHashMap;
import java.util.Map;

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
                if (e.getCode() == 409) {
                    throw new NameTakenException(desired);
                }
                throw e;
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

    static String hash(HasMetadata object) {
        return Sha256.hex(JSON.asJson(object));
    }
}
