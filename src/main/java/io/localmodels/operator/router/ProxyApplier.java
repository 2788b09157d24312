package io.localmodels.operator.router;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.localmodels.operator.api.ModelRouter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates or updates one of the proxy's objects only when the desired object differs from the one in the cluster.
 * "Differs" is judged by a hash of the desired object kept in an annotation, so fields the API server defaults never
 * cause a write. Plain create/update (no server-side apply).
 */
final class ProxyApplier {

    static final String DESIRED_HASH_ANNOTATION = "localmodels.io/desired-hash";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesClient client;

    ProxyApplier(KubernetesClient client) {
        this.client = client;
    }

    /** Returns the object now in the cluster: {@code actual} when nothing had to change. */
    <T extends HasMetadata> T apply(InformerEventSource<T, ModelRouter> cache, ResourceID router, T desired, T actual) {
        String hash = LiteLlmConfig.sha256(JSON.asJson(desired));
        if (actual != null && actual.getMetadata().getAnnotations() != null
                && hash.equals(actual.getMetadata().getAnnotations().get(DESIRED_HASH_ANNOTATION))) {
            return actual;
        }
        Map<String, String> annotations = desired.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(desired.getMetadata().getAnnotations());
        annotations.put(DESIRED_HASH_ANNOTATION, hash);
        desired.getMetadata().setAnnotations(annotations);
        if (actual == null) {
            T created = client.resource(desired).create();
            cache.handleRecentResourceCreate(router, created);
            return created;
        }
        desired.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
        if (desired instanceof Deployment d && actual instanceof Deployment a) {
            d.setStatus(a.getStatus()); // the API server ignores it; keeps what the cluster reported
        }
        T updated = client.resource(desired).update();
        cache.handleRecentResourceUpdate(router, updated, actual);
        return updated;
    }
}
