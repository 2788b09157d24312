package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The Events of controllers the mock API server does not run, shaped as their core/v1 recorder writes them: named
 * {@code <object>.<hex nanoseconds of the first occurrence>}, the involved object with kind, name, namespace, uid, apiVersion and
 * resourceVersion, {@code source.component}, first and last timestamp and a count (a repeated Event is one object
 * whose count grows), no {@code eventTime}. The messages are the controllers' formats.
 */
public final class ControllerEvents {

    public static final String STATEFULSET_CONTROLLER = "statefulset-controller";
    public static final String PV_CONTROLLER = "persistentvolume-controller";

    private final KubernetesClient client;

    public ControllerEvents(KubernetesClient client) {
        this.client = client;
    }

    /** The StatefulSet controller could not create a replica's pod; {@code error} is the API server's answer. */
    public Event podNotCreated(HasMetadata statefulSet, int ordinal, String error, int count, Instant first, Instant last) {
        String set = statefulSet.getMetadata().getName();
        Event event = record(statefulSet, STATEFULSET_CONTROLLER, "Warning", "FailedCreate",
                "create Pod " + set + "-" + ordinal + " in StatefulSet " + set + " failed error: " + error,
                count, first, last);
        synced(statefulSet, ordinal);
        return event;
    }

    /**
     * The end of the StatefulSet controller's sync, which writes status even when a pod could not be created
     * ({@code performUpdate}: "update the latest status even if there is an error"): the generation it observed and
     * the pods that exist ({@code replicas}, the ordinals below the one that failed).
     */
    private void synced(HasMetadata statefulSet, int replicas) {
        var sts = client.apps().statefulSets().inNamespace(statefulSet.getMetadata().getNamespace())
                .withName(statefulSet.getMetadata().getName());
        if (sts.get() == null) {
            return;
        }
        sts.editStatus(live -> {
            var status = live.getStatus() == null ? new io.fabric8.kubernetes.api.model.apps.StatefulSetStatus()
                    : live.getStatus();
            status.setObservedGeneration(live.getMetadata().getGeneration());
            status.setReplicas(replicas);
            live.setStatus(status);
            return live;
        });
    }

    /** The StatefulSet controller created a replica's claim (before its pod). */
    public Event claimCreated(HasMetadata statefulSet, int ordinal, String claim, Instant at) {
        String set = statefulSet.getMetadata().getName();
        return record(statefulSet, STATEFULSET_CONTROLLER, "Normal", "SuccessfulCreate",
                "create Claim " + claim + " Pod " + set + "-" + ordinal + " in StatefulSet " + set + " success", 1, at, at);
    }

    /** The StatefulSet controller created a replica's pod. */
    public Event podCreated(HasMetadata statefulSet, int ordinal, Instant at) {
        String set = statefulSet.getMetadata().getName();
        return record(statefulSet, STATEFULSET_CONTROLLER, "Normal", "SuccessfulCreate",
                "create Pod " + set + "-" + ordinal + " in StatefulSet " + set + " successful", 1, at, at);
    }

    /** An Event of any controller about any object. */
    public Event record(HasMetadata about, String component, String type, String reason, String message, int count,
                        Instant first, Instant last) {
        var meta = about.getMetadata();
        return client.v1().events().inNamespace(meta.getNamespace()).resource(new EventBuilder()
                .withNewMetadata()
                .withName(meta.getName() + "." + Long.toHexString(first.getEpochSecond() * 1_000_000_000L + first.getNano()))
                .withNamespace(meta.getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withKind(about.getKind()).withNamespace(meta.getNamespace())
                        .withName(meta.getName()).withUid(meta.getUid()).withApiVersion(about.getApiVersion())
                        .withResourceVersion(meta.getResourceVersion()).build())
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent(component).endSource()
                // metav1.Time: whole seconds
                .withFirstTimestamp(first.truncatedTo(ChronoUnit.SECONDS).toString())
                .withLastTimestamp(last.truncatedTo(ChronoUnit.SECONDS).toString()).withCount(count)
                .build()).create();
    }
}
