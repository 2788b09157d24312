package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.kube.DesiredObjectWriter;

import java.util.Objects;

/**
 * Applies the Ollama StatefulSet and Service. Fields Kubernetes will not change in place are carried over from the
 * live object, and reported, instead of failing every reconcile.
 */
final class WorkloadWriter {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final DesiredObjectWriter writer;
    private StatefulSet statefulSet;
    private Service service;

    WorkloadWriter(DesiredObjectWriter writer) {
        this.writer = writer;
    }

    /** Returns a note when part of the desired StatefulSet could not be applied, else null. */
    String apply(InformerEventSource<StatefulSet, LocalModel> cache, ResourceID owner, StatefulSet desired, StatefulSet live) {
        String note = live == null ? null : keepImmutable(desired, live);
        statefulSet = writer.apply(cache, owner, desired, live, WorkloadWriter::keepImmutable);
        return note;
    }

    void apply(InformerEventSource<Service, LocalModel> cache, ResourceID owner, Service desired, Service live) {
        if (live != null) {
            keepImmutable(desired, live);
        }
        service = writer.apply(cache, owner, desired, live, WorkloadWriter::keepImmutable);
    }

    /** The StatefulSet now in the cluster: as found when it was as desired, else as written. */
    StatefulSet statefulSet() {
        return statefulSet;
    }

    /** The Service now in the cluster: as found when it was as desired, else as written. */
    Service service() {
        return service;
    }

    /** Immutable in a StatefulSet: selector, serviceName, podManagementPolicy, volumeClaimTemplates; a note when
     * the volumes asked for differ from those it has. */
    private static String keepImmutable(StatefulSet desired, StatefulSet live) {
        var spec = desired.getSpec();
        spec.setSelector(live.getSpec().getSelector());
        spec.setServiceName(live.getSpec().getServiceName());
        spec.setPodManagementPolicy(live.getSpec().getPodManagementPolicy());
        String note = null;
        if (!Objects.equals(JSON.asJson(spec.getVolumeClaimTemplates()), JSON.asJson(live.getSpec().getVolumeClaimTemplates()))) {
            note = "spec.storage changed, but a StatefulSet's volumes cannot change in place: the existing volumes stay. "
                    + "To apply it, delete the StatefulSet with --cascade=orphan and the operator recreates it";
        }
        spec.setVolumeClaimTemplates(live.getSpec().getVolumeClaimTemplates());
        return note;
    }

    /** Assigned by the API server and immutable. */
    private static void keepImmutable(Service desired, Service live) {
        desired.getSpec().setClusterIP(live.getSpec().getClusterIP());
        desired.getSpec().setClusterIPs(live.getSpec().getClusterIPs());
    }
}
