package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.localmodels.operator.model.WorkloadEvents.PendingClaim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads what the StatefulSet and volume controllers said about a LocalModel's pods, only while some are missing or
 * unscheduled. Why not an informer on Events: Events are the busiest kind in a cluster, and even one narrowed to
 * {@code involvedObject.kind=StatefulSet} would hold every StatefulSet's Events in memory to serve the rare stuck
 * model. Here a model that runs costs nothing; a stuck one costs one list of its StatefulSet's Events (selected by
 * uid, so the API server filters and a deleted namesake's Events do not count) and, per unscheduled pod, one GET of
 * its claim and a list of that claim's Events while it is not Bound — once per reconcile, and the reconcile comes
 * back after the status period while the model is stuck. Each read sees the present: level-based.
 */
final class WorkloadEventReader {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadEventReader.class);

    private final KubernetesClient client;

    WorkloadEventReader(KubernetesClient client) {
        this.client = client;
    }

    /** @param statefulSet the model's StatefulSet as cached, or null before it exists */
    WorkloadEvents read(StatefulSet statefulSet, Collection<Pod> pods, int desired) {
        if (statefulSet == null || desired == 0) {
            return WorkloadEvents.none();
        }
        List<Pod> live = ReplicaObservation.live(pods);
        boolean missing = live.size() < desired;
        List<Pod> unscheduled = live.stream().filter(p -> ReplicaObservation.unschedulable(p).isPresent()).toList();
        if (!missing && unscheduled.isEmpty()) {
            return WorkloadEvents.none();
        }
        try {
            List<Event> ofStatefulSet = missing ? eventsOf(statefulSet) : List.of();
            List<PendingClaim> claims = new ArrayList<>();
            for (Pod pod : unscheduled) {
                for (String name : claimNames(pod)) {
                    PersistentVolumeClaim claim = client.persistentVolumeClaims()
                            .inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
                    String phase = claim == null || claim.getStatus() == null ? null : claim.getStatus().getPhase();
                    if (claim != null && !"Bound".equals(phase)) {
                        claims.add(new PendingClaim(pod.getMetadata().getName(), name, phase, eventsOf(claim)));
                    }
                }
            }
            return new WorkloadEvents(true, ofStatefulSet, claims);
        } catch (KubernetesClientException e) {
            // what controllers said only explains; never fail the reconcile (and its status) over it
            LOG.warn("could not read the Events of StatefulSet {}/{}: {}", statefulSet.getMetadata().getNamespace(),
                    statefulSet.getMetadata().getName(), e.getMessage());
            return new WorkloadEvents(true, List.of(), List.of());
        }
    }

    private List<Event> eventsOf(HasMetadata object) {
        if (object.getMetadata().getUid() == null) {
            return List.of();
        }
        return client.v1().events().inNamespace(object.getMetadata().getNamespace())
                .withField("involvedObject.uid", object.getMetadata().getUid()).list().getItems();
    }

    /** The claims the StatefulSet controller put into the pod, {@code <template>-<pod>} for each template. */
    private static List<String> claimNames(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
            return List.of();
        }
        return pod.getSpec().getVolumes().stream().map(Volume::getPersistentVolumeClaim)
                .filter(c -> c != null && c.getClaimName() != null)
                .map(c -> c.getClaimName()).toList();
    }
}
