package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the StatefulSet controller and kubelet, which the mock API server does not run: creates a replica's pod
 * with the StatefulSet's template labels and claim volumes, scheduled or not, its containers ready or not, and its
 * claim. As the kubelet does ({@code pkg/kubelet/status/generate.go}), it sets {@code ContainersReady} from the
 * containers' probes and {@code Ready} = ContainersReady ∧ every readiness gate's condition True, and recomputes
 * {@code Ready} on its sync loop (here: a watch of the pods) when a gate's condition changes; the StatefulSet's
 * {@code readyReplicas} counts Ready pods, as its controller's does: from what its watch has seen of the pods (the
 * controller's informer cache), not from a list of every pod per count, which the mock API server answers by
 * testing every object it stores. {@link #close} ends the sync loop.
 */
public final class Kubelet implements AutoCloseable {

    /** What counting needs of a pod: where it is, its labels, whether it is Ready. */
    private record SeenPod(String namespace, Map<String, String> labels, boolean ready) {
        static SeenPod of(Pod pod) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            return new SeenPod(pod.getMetadata().getNamespace(), labels == null ? Map.of() : Map.copyOf(labels),
                    "True".equals(status(pod, "Ready")));
        }
    }

    private final KubernetesClient client;
    /** The pods as the sync loop last saw them, by namespace and name. */
    private final Map<String, SeenPod> seen = new ConcurrentHashMap<>();
    private final Watch syncLoop;

    public Kubelet(KubernetesClient client) {
        this.client = client;
        this.syncLoop = client.pods().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED) {
                    seen.remove(key(pod));
                } else if (action == Action.ADDED || action == Action.MODIFIED) {
                    seen.put(key(pod), SeenPod.of(pod));
                    sync(pod);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test's API server went away
            }
        });
    }

    /** A pod whose containers' probes pass: Ready once its readiness gates are True too. */
    public Pod readyPod(StatefulSet sts, int ordinal) {
        return client.resource(pod(sts, ordinal, "True", "True", null)).createOr(existing -> existing.update());
    }

    /** Whether the pod's {@code Ready} condition is True (what the Service's endpoints follow). */
    public boolean ready(String namespace, String pod) {
        Pod p = client.pods().inNamespace(namespace).withName(pod).get();
        return p != null && "True".equals(status(p, "Ready"));
    }

    /** The kubelet's status sync of one pod: Ready follows ContainersReady and the gates, written when it differs. */
    private void sync(Pod pod) {
        if (pod.getStatus() == null || pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        PodCondition ready = readyCondition(pod);
        PodCondition current = condition(pod, "Ready");
        if (current != null && current.getStatus().equals(ready.getStatus())
                && java.util.Objects.equals(current.getReason(), ready.getReason())) {
            return;
        }
        Pod next = new PodBuilder(pod).build();
        List<PodCondition> conditions = new ArrayList<>(next.getStatus().getConditions());
        // in place, as the kubelet keeps the order of the conditions (pkg/kubelet/status mergePodStatus)
        if (current == null) {
            conditions.add(ready);
        } else {
            conditions.replaceAll(c -> "Ready".equals(c.getType()) ? ready : c);
        }
        next.getStatus().setConditions(conditions);
        Pod written;
        try {
            written = client.resource(next).updateStatus(); // under the version seen: a newer pod brings its own event
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
            return;
        }
        // the controller's cache has our write before it counts (its event follows)
        seen.computeIfPresent(key(written), (k, before) -> SeenPod.of(written));
        countReady(pod);
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** GeneratePodReadyCondition: containers ready, then every gate True; the kubelet's reasons and messages. */
    private static PodCondition readyCondition(Pod pod) {
        PodConditionBuilder ready = new PodConditionBuilder().withType("Ready");
        if (!"True".equals(status(pod, "ContainersReady"))) {
            return ready.withStatus("False").withReason("ContainersNotReady")
                    .withMessage("containers with unready status: [ollama]").build();
        }
        List<PodReadinessGate> gates = pod.getSpec().getReadinessGates() == null ? List.of()
                : pod.getSpec().getReadinessGates();
        for (PodReadinessGate gate : gates) {
            String gateStatus = status(pod, gate.getConditionType());
            if (gateStatus == null) {
                return ready.withStatus("False").withReason("ReadinessGatesNotReady").withMessage(
                        "corresponding condition of pod readiness gate \"" + gate.getConditionType() + "\" does not exist.").build();
            }
            if (!"True".equals(gateStatus)) {
                return ready.withStatus("False").withReason("ReadinessGatesNotReady").withMessage("the status of pod "
                        + "readiness gate \"" + gate.getConditionType() + "\" is not \"True\", but " + gateStatus).build();
            }
        }
        return ready.withStatus("True").build();
    }

    /** The StatefulSet controller: readyReplicas is the number of its Ready pods. */
    private void countReady(Pod pod) {
        String name = pod.getMetadata().getName();
        String owner = name.substring(0, name.lastIndexOf('-'));
        var sts = client.apps().statefulSets().inNamespace(pod.getMetadata().getNamespace()).withName(owner);
        StatefulSet set = sts.get();
        if (set == null) {
            return;
        }
        String namespace = pod.getMetadata().getNamespace();
        Map<String, String> selector = set.getSpec().getSelector().getMatchLabels();
        int ready = (int) seen.values().stream().filter(p -> p.ready() && p.namespace().equals(namespace)
                && p.labels().entrySet().containsAll(selector.entrySet())).count();
        try {
            sts.editStatus(s -> {
                s.setStatus(new StatefulSetStatusBuilder(s.getStatus() == null ? new StatefulSetStatusBuilder().build()
                        : s.getStatus()).withReadyReplicas(ready).build());
                return s;
            });
        } catch (KubernetesClientException e) {
            // the StatefulSet changed meanwhile: the next pod event counts again
        }
    }

    private static String status(Pod pod, String type) {
        PodCondition c = condition(pod, type);
        return c == null ? null : c.getStatus();
    }

    private static PodCondition condition(Pod pod, String type) {
        return pod.getStatus() == null || pod.getStatus().getConditions() == null ? null
                : pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    @Override
    public void close() {
        syncLoop.close();
    }

    public Pod unschedulablePod(StatefulSet sts, int ordinal, String schedulerMessage) {
        return client.resource(pod(sts, ordinal, "False", "False", schedulerMessage)).createOr(existing -> existing.update());
    }

    /**
     * The claim the StatefulSet controller creates for a replica before its pod: {@code <template>-<pod>}, labelled
     * with the StatefulSet's selector, {@code Pending} until a volume binds it.
     */
    public PersistentVolumeClaim pendingClaim(StatefulSet sts, int ordinal) {
        PersistentVolumeClaim template = sts.getSpec().getVolumeClaimTemplates().get(0);
        return client.resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(template.getMetadata().getName() + "-" + podName(sts, ordinal))
                .withNamespace(sts.getMetadata().getNamespace())
                .withLabels(sts.getSpec().getSelector().getMatchLabels())
                .endMetadata()
                .withSpec(template.getSpec())
                .withNewStatus().withPhase("Pending").endStatus()
                .build()).create();
    }

    /** What the PV controller does once a volume fits: the claim is Bound. */
    public PersistentVolumeClaim bind(PersistentVolumeClaim claim) {
        return client.resource(claim).editStatus(c -> {
            c.getStatus().setPhase("Bound");
            return c;
        });
    }

    private static String podName(StatefulSet sts, int ordinal) {
        return sts.getMetadata().getName() + "-" + ordinal;
    }

    private static Pod pod(StatefulSet sts, int ordinal, String scheduled, String containersReady, String message) {
        // the StatefulSet controller adds a volume per claim template, naming the replica's claim
        List<Volume> claims = sts.getSpec().getVolumeClaimTemplates() == null ? List.of()
                : sts.getSpec().getVolumeClaimTemplates().stream().map(t -> new VolumeBuilder()
                        .withName(t.getMetadata().getName()).withNewPersistentVolumeClaim()
                        .withClaimName(t.getMetadata().getName() + "-" + podName(sts, ordinal))
                        .endPersistentVolumeClaim().build()).toList();
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(podName(sts, ordinal))
                .withNamespace(sts.getMetadata().getNamespace())
                .withLabels(sts.getSpec().getTemplate().getMetadata().getLabels())
                .endMetadata()
                .withSpec(new PodSpecBuilder(sts.getSpec().getTemplate().getSpec()).addAllToVolumes(claims).build())
                .withNewStatus()
                .withPhase("True".equals(containersReady) ? "Running" : "Pending")
                .withPodIP("True".equals(containersReady) ? "10.1.0." + (10 + ordinal) : null)
                .addNewCondition().withType("PodScheduled").withStatus(scheduled)
                .withReason("False".equals(scheduled) ? "Unschedulable" : null).withMessage(message).endCondition()
                .addNewCondition().withType("ContainersReady").withStatus(containersReady).endCondition()
                .endStatus()
                .build();
        pod.getStatus().getConditions().add(readyCondition(pod));
        return pod;
    }
}
