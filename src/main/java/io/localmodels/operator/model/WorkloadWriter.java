package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * Creates or updates the Ollama StatefulSet and Service. An update is sent only when the desired object's hash
 * differs from the one recorded on the live object: the API server fills in defaults, so comparing whole objects
 * would roll the pods on every reconcile. Fields Kubernetes will not change in place are carried over from the
 * live object, and reported, instead of failing every reconcile.
 */
public class WorkloadWriter {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesClient client;

    public WorkloadWriter(KubernetesClient client) {
        this.client = client;
    }

    /** What applying did: whether it wrote, and a note when part of the desired state could not be applied. */
    public record Outcome(boolean written, String note) {
    }

    public Outcome apply(StatefulSet desired, StatefulSet live) {
        String note = null;
        if (live != null) {
            // immutable in a StatefulSet: selector, serviceName, podManagementPolicy, volumeClaimTemplates
            var spec = desired.getSpec();
            spec.setSelector(live.getSpec().getSelector());
            spec.setServiceName(live.getSpec().getServiceName());
            spec.setPodManagementPolicy(live.getSpec().getPodManagementPolicy());
            if (!Objects.equals(JSON.asJson(spec.getVolumeClaimTemplates()), JSON.asJson(live.getSpec().getVolumeClaimTemplates()))) {
                note = "spec.storage changed, but a StatefulSet's volumes cannot change in place: the existing volumes stay. "
                        + "To apply it, delete the StatefulSet with --cascade=orphan and the operator recreates it";
            }
            spec.setVolumeClaimTemplates(live.getSpec().getVolumeClaimTemplates());
        }
        return new Outcome(write(desired, live), note);
    }

    public Outcome apply(Service desired, Service live) {
        if (live != null) {
            // assigned by the API server and immutable
            desired.getSpec().setClusterIP(live.getSpec().getClusterIP());
            desired.getSpec().setClusterIPs(live.getSpec().getClusterIPs());
        }
        return new Outcome(write(desired, live), null);
    }

    private boolean write(HasMetadata desired, HasMetadata live) {
        String hash = hash(desired);
        var annotations = new LinkedHashMap<String, String>();
        if (desired.getMetadata().getAnnotations() != null) {
            annotations.putAll(desired.getMetadata().getAnnotations());
        }
        annotations.put(Labels.DESIRED_HASH, hash);
        desired.getMetadata().setAnnotations(annotations);
        if (live == null) {
            client.resource(desired).create();
            return true;
        }
        if (live.getMetadata().getAnnotations() != null
                && hash.equals(live.getMetadata().getAnnotations().get(Labels.DESIRED_HASH))) {
            return false;
        }
        desired.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
        client.resource(desired).update();
        return true;
    }

    static String hash(HasMetadata object) {
        try {
            byte[] json = JSON.asJson(object).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
