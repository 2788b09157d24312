package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Plays the StatefulSet controller and kubelet, which the mock API server does not run: creates a replica's pod
 * with the StatefulSet's template labels and claim volumes, scheduled or not, its containers ready or not, and its
 * claim. As the kubelet does ({@code pkg/kubelet/status/generate.go}), it sets {@code ContainersReady} from the
 * containers' probes and {@code Ready} = ContainersReady ∧ every readiness gate's condition True, and recomputes
 * {@code Ready} on its sync loop (here: a watch of the pods) when a gate's condition changes; the StatefulSet's
 * {@code readyReplicas} counts Ready pods, as its controller's does: from what its watch has seen of the pods (the
 * controller's informer cache), not from a list of every pod per count, which the mock API server answers by
 * testing every object it stores. {@link #close} ends the sync loop.
 * <p>
 * As in a cluster, pods are synced in parallel (every node's kubelet syncs its own pods, each pod on a worker of its
 * own) and the StatefulSet controller works on several StatefulSets at once: the watch only records what it saw and
 * hands the work on. One thread doing all of it, with three API calls per pod event, fell behind by thousands of
 * pod events in a fleet of 10 000, and held every one of them, full pod specs, until it caught up.
 */
public final class Kubelet implements AutoCloseable {

    /** Pods synced and StatefulSets counted at once: the StatefulSet controller's {@code --concurrent-statefulset-syncs}. */
    public static final int WORKERS = 5;

    private final KubernetesClient client;
    /** Whether each pod the watch saw is Ready, by its StatefulSet ({@code namespace/name}) and pod name. */
    private final Map<String, Map<String, Boolean>> readyByOwner = new ConcurrentHashMap<>();
    /** A pod's latest version waiting for its sync, by {@code namespace/name}: later events replace it. */
    private final Map<String, Pod> syncDue = new ConcurrentHashMap<>();
    /** StatefulSets whose ready pods changed and wait for their count. */
    private final Set<String> countDue = ConcurrentHashMap.newKeySet();
    /** One count of a StatefulSet at a time (the controller's work queue never hands out one key twice). */
    private final Map<String, Object> countLocks = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
        Thread t = new Thread(r, "kubelet-sync");
        t.setDaemon(true);
        return t;
    });
    private final Watch syncLoop;

    public Kubelet(KubernetesClient client) {
        this.client = client;
        this.syncLoop = client.pods().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String owner = owner(pod);
                Map<String, Boolean> pods = readyByOwner.computeIfAbsent(owner, k -> new ConcurrentHashMap<>());
                if (action == Action.DELETED) {
                    pods.remove(pod.getMetadata().getName());
                    countLater(owner);
                } else if (action == Action.ADDED || action == Action.MODIFIED) {
                    boolean ready = "True".equals(status(pod, "Ready"));
                    if (!Boolean.valueOf(ready).equals(pods.put(pod.getMetadata().getName(), ready))) {
                        countLater(owner);
                    }
                    syncLater(pod);
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
        try {
            // under the version seen: a newer pod brings its own event, and the write's event brings the count
            client.resource(next).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** Syncs the pod's latest version on a worker; events that come meanwhile only replace what the sync will see. */
    private void syncLater(Pod pod) {
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        if (syncDue.put(key, pod) == null) {
            run(() -> {
                Pod latest = syncDue.remove(key);
                if (latest != null) {
                    sync(latest);
                }
            });
        }
    }

    private void countLater(String owner) {
        if (countDue.add(owner)) {
            run(() -> {
                countDue.remove(owner);
                countReady(owner);
            });
        }
    }

    private void run(Runnable work) {
        try {
            workers.execute(work);
        } catch (RejectedExecutionException e) {
            // closed: the test is over
        }
    }

    /**
     * The StatefulSet a replica's pod belongs to: its name without the ordinal ({@code namespace/name}). The watch
     * sees every pod, so a name without an ordinal names only itself.
     */
    private static String owner(Pod pod) {
        String name = pod.getMetadata().getName();
        int ordinal = name.lastIndexOf('-');
        return pod.getMetadata().getNamespace() + "/" + (ordinal < 0 ? name : name.substring(0, ordinal));
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

    /** The StatefulSet controller: readyReplicas is the number of its Ready pods, as its watch saw them. */
    private void countReady(String owner) {
        synchronized (countLocks.computeIfAbsent(owner, k -> new Object())) {
            int ready = (int) readyByOwner.getOrDefault(owner, Map.of()).values().stream().filter(r -> r).count();
            String[] at = owner.split("/", 2);
            try {
                // one write, as the controller's status update from its cache is (a GET and a PUT were two)
                client.apps().statefulSets().inNamespace(at[0]).withName(at[1]).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"readyReplicas\":" + ready + "}}");
            } catch (KubernetesClientException e) {
                // no such StatefulSet (any more), or it changed meanwhile: the next pod event counts again
            }
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
        workers.shutdownNow();
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
