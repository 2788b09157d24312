package io.localmodels.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a custom resource's status only when it changed. The write replaces the whole status (so fields that went
 * away go away) under the resource version the reconcile saw; a conflict fails the reconcile and JOSDK retries it
 * on fresh state. What was last written is remembered, because the informer cache can lag behind our own write.
 */
public class StatusWriter<R extends CustomResource<?, S>, S> {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final Map<ResourceID, JsonNode> lastWritten = new ConcurrentHashMap<>();

    /** Called after a write with the status before and after, e.g. to record an Event on a phase change. */
    @FunctionalInterface
    public interface Transition<R, S> {
        void changed(EventRecorder events, R resource, S before, S after);
    }

    /** Returns true when it wrote. */
    public boolean write(KubernetesClient client, R resource, S status, EventRecorder events, Transition<R, S> transition) {
        ResourceID id = ResourceID.fromResource(resource);
        JsonNode next = JSON.convertValue(status, JsonNode.class);
        JsonNode current = resource.getStatus() == null ? null : JSON.convertValue(resource.getStatus(), JsonNode.class);
        if (next.equals(current) || next.equals(lastWritten.get(id))) {
            return false;
        }
        S before = resource.getStatus();
        @SuppressWarnings("unchecked")
        R copy = (R) JSON.clone(resource);
        copy.setStatus(status);
        copy.getMetadata().setManagedFields(null);
        client.resource(copy).updateStatus();
        lastWritten.put(id, next);
        transition.changed(events, resource, before, status);
        return true;
    }

    public void forget(R resource) {
        lastWritten.remove(ResourceID.fromResource(resource));
    }
}
