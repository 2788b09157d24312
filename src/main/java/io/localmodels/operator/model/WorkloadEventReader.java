package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.model.WorkloadEvents.PendingClaim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads what the StatefulSet and volume controllers said about a LocalModel's pods, only while some are missing or
 * unscheduled. Why not an informer on Events: Events are the busiest kind in a cluster, and even one narrowed to
 * {@code involvedObject.kind=StatefulSet} would hold every StatefulSet's Events in memory to serve the rare stuck
 * model. Here a model that runs costs nothing; a stuck one costs one list of its StatefulSet's Events (selected by
 * uid, so the API server filters and a deleted namesake's Events do not count) and, per unscheduled pod, one GET of
 * its claim and a list of that claim's Events while it is not Bound — at most once per status period for the same
 * stuck pods, however often the model is reconciled (pulls and probes of the replicas that do run trigger many), and
 * the reconcile comes back after the status period while the model is stuck. Pods missing for less than
 * {@link #MISSING_GRACE} (or the status period), or before the StatefulSet controller has reported on the
 * StatefulSet's generation, are not looked into: until then the controller is still creating them, and reading then
 * made a fleet's bring-up cost one list per model, each filtered by the API server out of every Event of the
 * namespace (quadratic in the fleet). Each read sees the present: level-based; a
 * model that stops being stuck is answered from its pods at once.
 */
final class WorkloadEventReader {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadEventReader.class);

    /** The last read for one StatefulSet (by uid, so a recreated one reads afresh) and the stuck pods it was about. */
    private record Read(String uid, boolean missing, List<String> unscheduled, Instant at, WorkloadEvents events) {
    }

    /**
     * How long pods may be missing before the StatefulSet controller's Events are read (it creates them within
     * seconds); the status period when that is shorter.
     */
    static final Duration MISSING_GRACE = Duration.ofSeconds(10);

    private final Clock clock;
    private final Duration maxAge;
    private final Duration missingGrace;
    private final Map<ResourceID, Read> reads = new ConcurrentHashMap<>();
    /** Since when each model has had fewer pods than desired (none scheduled-and-stuck), while it has. */
    private final Map<ResourceID, Instant> missingSince = new ConcurrentHashMap<>();

    /** @param maxAge how long a read stands for the same stuck pods (the status period) */
    WorkloadEventReader(Clock clock, Duration maxAge) {
        this.clock = clock;
        this.maxAge = maxAge;
        this.missingGrace = maxAge.compareTo(MISSING_GRACE) < 0 ? maxAge : MISSING_GRACE;
    }

    /** @param statefulSet the model's StatefulSet as cached, or null before it exists */
    WorkloadEvents read(KubernetesClient client, ResourceID owner, StatefulSet statefulSet, Collection<Pod> pods,
                        int desired) {
        if (statefulSet == null || desired == 0) {
            forget(owner);
            return WorkloadEvents.none();
        }
        List<Pod> live = ReplicaObservation.live(pods);
        boolean missing = live.size() < desired;
        List<Pod> unscheduled = live.stream().filter(p -> ReplicaObservation.unschedulable(p).isPresent()).toList();
        if (!missing && unscheduled.isEmpty()) {
            forget(owner);
            return WorkloadEvents.none();
        }
        List<String> stuck = unscheduled.stream().map(p -> p.getMetadata().getName()).sorted().toList();
        Instant now = clock.instant();
        if (!missing) {
            missingSince.remove(owner);
        } else if (unscheduled.isEmpty() && (!controllerReported(statefulSet)
                || missingSince.computeIfAbsent(owner, o -> now).plus(missingGrace).isAfter(now))) {
            // nothing said yet, as far as we know: looked, so the reconcile comes back if the pods do not come
            return new WorkloadEvents(true, List.of(), List.of());
        }
        Read last = reads.get(owner);
        if (last != null && last.uid().equals(statefulSet.getMetadata().getUid()) && last.missing() == missing
                && last.unscheduled().equals(stuck) && last.at().plus(maxAge).isAfter(now)) {
            return last.events();
        }
        WorkloadEvents events = readNow(client, statefulSet, missing, unscheduled);
        reads.put(owner, new Read(statefulSet.getMetadata().getUid(), missing, stuck, now, events));
        return events;
    }

    /**
     * Whether the StatefulSet controller has synced the current generation: it writes status at the end of every
     * sync, also when it could not create a pod, so before that it has said nothing (a controller that works through
     * a fleet of new StatefulSets at its API rate limit reaches each one late).
     */
    private static boolean controllerReported(StatefulSet statefulSet) {
        var status = statefulSet.getStatus();
        Long generation = statefulSet.getMetadata().getGeneration();
        return status != null && status.getObservedGeneration() != null
                && (generation == null || status.getObservedGeneration() >= generation);
    }

    /** Drops what was read for a deleted LocalModel. */
    void forget(ResourceID owner) {
        reads.remove(owner);
        missingSince.remove(owner);
    }

    private WorkloadEvents readNow(KubernetesClient client, StatefulSet statefulSet, boolean missing,
                                   List<Pod> unscheduled) {
        try {
            List<Event> ofStatefulSet = missing ? eventsOf(client, statefulSet) : List.of();
            List<PendingClaim> claims = new ArrayList<>();
            for (Pod pod : unscheduled) {
                for (String name : claimNames(pod)) {
                    PersistentVolumeClaim claim = client.persistentVolumeClaims()
                            .inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
                    String phase = claim == null || claim.getStatus() == null ? null : claim.getStatus().getPhase();
                    if (claim != null && !"Bound".equals(phase)) {
                        claims.add(new PendingClaim(pod.getMetadata().getName(), name, phase, eventsOf(client, claim)));
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

    private static List<Event> eventsOf(KubernetesClient client, HasMetadata object) {
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
