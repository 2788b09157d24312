package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Event;
import io.localmodels.operator.model.ReplicaObservation.Trouble;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What Kubernetes controllers said about Ollama pods that do not run, where no pod can tell: the StatefulSet
 * controller's Events while pods are missing (a pod rejected by admission never exists), and the volume controllers'
 * Events of a claim that is not Bound while its pod waits to be scheduled.
 *
 * @param looked      pods were missing or unscheduled, so these were read; the reconcile reads them again later
 * @param statefulSet the StatefulSet's Events, read only while fewer pods exist than desired
 * @param claims      the claims of unscheduled pods that are not Bound, each with its Events
 */
public record WorkloadEvents(boolean looked, List<Event> statefulSet, List<PendingClaim> claims) {

    /** The StatefulSet controller's reasons for a pod or claim it could or could not create. */
    static final String FAILED_CREATE = "FailedCreate";
    static final String SUCCESSFUL_CREATE = "SuccessfulCreate";
    /**
     * Why a claim does not bind: the PV controller's FailedBinding (type Normal: a class-less claim and no volume
     * fits) and ProvisioningFailed (Warning: from the PV controller, e.g. an unknown StorageClass, or a CSI
     * provisioner). Progress reports (ExternalProvisioning, Provisioning) alternate with failures while a
     * provisioner retries; they are left out so that status does not flap.
     */
    static final Set<String> BINDING_FAILURES = Set.of("FailedBinding", "ProvisioningFailed");

    /** A PersistentVolumeClaim of an unscheduled pod that is not Bound. */
    public record PendingClaim(String pod, String name, String phase, List<Event> events) {
    }

    public static WorkloadEvents none() {
        return new WorkloadEvents(false, List.of(), List.of());
    }

    /**
     * The StatefulSet controller's newest FailedCreate (with its own message), unless a SuccessfulCreate came after
     * it. Same-second ties count as failed: the claim is created, then the pod fails, within one second.
     */
    public Optional<Trouble> notCreated() {
        Optional<Event> failed = newest(statefulSet.stream().filter(e -> FAILED_CREATE.equals(e.getReason())));
        Instant succeeded = newest(statefulSet.stream().filter(e -> SUCCESSFUL_CREATE.equals(e.getReason())))
                .map(WorkloadEvents::time).orElse(Instant.MIN);
        return failed.filter(e -> !time(e).isBefore(succeeded))
                .map(e -> new Trouble(null, FAILED_CREATE, e.getMessage()));
    }

    /** The newest reason a claim of an unscheduled pod does not bind, in the controller's words. */
    public Optional<Trouble> unboundVolume() {
        return claims.stream().flatMap(c -> newest(c.events().stream()
                        .filter(e -> BINDING_FAILURES.contains(e.getReason())))
                        .map(e -> new Trouble(c.pod(), e.getReason(), "PersistentVolumeClaim " + c.name() + " is "
                                + (c.phase() == null ? "Pending" : c.phase()) + ": " + e.getMessage())).stream())
                .findFirst();
    }

    private static Optional<Event> newest(Stream<Event> events) {
        return events.max(Comparator.comparing(WorkloadEvents::time));
    }

    /**
     * When an Event last happened: core/v1 recorders (the controllers here) set lastTimestamp and count; events.k8s.io
     * recorders set eventTime and, when repeated, series.lastObservedTime.
     */
    static Instant time(Event e) {
        String when = e.getLastTimestamp();
        if (when == null && e.getSeries() != null && e.getSeries().getLastObservedTime() != null) {
            when = e.getSeries().getLastObservedTime().getTime();
        }
        if (when == null && e.getEventTime() != null) {
            when = e.getEventTime().getTime();
        }
        if (when == null) {
            when = e.getFirstTimestamp() != null || e.getMetadata() == null ? e.getFirstTimestamp()
                    : e.getMetadata().getCreationTimestamp();
        }
        return when == null ? Instant.MIN : Instant.parse(when);
    }
}
