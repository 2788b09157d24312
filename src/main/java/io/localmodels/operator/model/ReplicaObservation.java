package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the Ollama pods of one LocalModel tell about scheduling and start-up: the scheduler's and kubelet's own
 * messages, so {@code kubectl get localmodels} explains a Pending pod instead of hiding it.
 *
 * @param servers       pods whose containers are ready ({@code ContainersReady}, with an IP), by name: Ollama answers
 *                      there, so pulls, loads and probes go there; {@code Ready} also waits for the model gate
 * @param unschedulable the scheduler's message for the first pod it could not place, or why its volume does not bind
 * @param failure       an image pull error or crash loop, with the kubelet's message
 * @param notCreated    a pod the StatefulSet controller could not create (rejected by admission), in its words
 * @param recheck       pods are missing or unscheduled: what the controllers say is read again after a while
 */
public record ReplicaObservation(List<Pod> servers, Optional<Trouble> unschedulable, Optional<Trouble> failure,
                                 Optional<Trouble> notCreated, boolean recheck) {

    /** Container waiting reasons that will not fix themselves. */
    static final Set<String> FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    /**
     * A reason (the Kubernetes one, e.g. Unschedulable, ImagePullBackOff) and the message that explains it.
     * {@code pod} is null when there is no pod to name (it could not be created).
     */
    public record Trouble(String pod, String reason, String message) {
    }

    public static ReplicaObservation of(Collection<Pod> pods) {
        return of(pods, WorkloadEvents.none());
    }

    /** The pods, and what controllers said about those that do not run; a volume that does not bind comes first. */
    public static ReplicaObservation of(Collection<Pod> pods, WorkloadEvents events) {
        List<Pod> sorted = live(pods).stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
        List<Pod> ready = sorted.stream().filter(ReplicaObservation::serves).toList();
        Optional<Trouble> unschedulable = events.unboundVolume().or(() -> sorted.stream()
                .map(ReplicaObservation::unschedulable).flatMap(Optional::stream).findFirst());
        Optional<Trouble> failure = sorted.stream().map(ReplicaObservation::failure)
                .flatMap(Optional::stream).findFirst();
        return new ReplicaObservation(ready, unschedulable, failure, events.notCreated(), events.looked());
    }

    /** Pods not being deleted. */
    static List<Pod> live(Collection<Pod> pods) {
        return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /**
     * Whether Ollama answers on the pod: its containers' readiness probes pass. Not {@code Ready}, which the kubelet
     * sets only once the operator's {@link ModelReadyGate} says the model serves there.
     */
    static boolean serves(Pod pod) {
        return condition(pod, "ContainersReady").map(c -> "True".equals(c.getStatus())).orElse(false)
                && pod.getStatus().getPodIP() != null;
    }

    static Optional<Trouble> unschedulable(Pod pod) {
        return condition(pod, "PodScheduled")
                .filter(c -> "False".equals(c.getStatus()))
                .map(c -> new Trouble(pod.getMetadata().getName(),
                        c.getReason() == null ? "Unschedulable" : c.getReason(),
                        c.getMessage() == null ? "the scheduler has not placed the pod" : c.getMessage()));
    }

    private static Optional<Trouble> failure(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
            var waiting = cs.getState() == null ? null : cs.getState().getWaiting();
            if (waiting != null && FAILURES.contains(waiting.getReason())) {
                String message = waiting.getMessage();
                var last = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
                if ("CrashLoopBackOff".equals(waiting.getReason()) && last != null) {
                    message = "container " + cs.getName() + " exited with code " + last.getExitCode()
                            + (last.getMessage() == null ? "" : ": " + last.getMessage().strip())
                            + " (restarted " + cs.getRestartCount() + " times)";
                }
                return Optional.of(new Trouble(pod.getMetadata().getName(), waiting.getReason(),
                        message == null ? waiting.getReason() : message));
            }
        }
        return Optional.empty();
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
