package io.localmodels.operator.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.ReplicaHealth;
import io.localmodels.operator.pull.PullState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod readiness gate {@code localmodels.io/model-ready}: the kubelet calls a pod Ready, and the Service sends it
 * traffic, only once its containers are ready and this condition is True. The operator says True once that replica
 * has the model, has loaded it and answers probes, and False, with the reason, while it lacks the model or when its
 * circuit opens; it writes the condition only when it changes, never per probe.
 *
 * <p>On the way up a pod's gate steps through reasons (CheckingModel, Pulling, AwaitingProbe) a few seconds apart;
 * a pod that does not serve yet is not Ready either way, so a not-ready step is written only once it has lasted
 * {@code hold} (a pull or load that takes a while then shows why on the pod; a clean bring-up writes the gate once,
 * when it opens). Opening the gate, and closing an open one, are written at once. The LocalModel's status names
 * each replica's reason at once regardless.
 */
public final class ModelReadyGate {

    private static final Logger LOG = LoggerFactory.getLogger(ModelReadyGate.class);

    /** The condition type, named in every Ollama pod's {@code readinessGates}. */
    public static final String CONDITION = "localmodels.io/model-ready";

    /** What the condition should say about one replica; the message stays the same while nothing changes. */
    public record Verdict(boolean ready, String reason, String message) {
    }

    /** What was last written, by owner and pod uid: the informer cache can lag behind our own write. */
    private final Map<ResourceID, Map<String, Verdict>> written = new ConcurrentHashMap<>();
    /** Since when a not-ready step the pod does not show yet has been held, by owner and pod uid. */
    private final Map<ResourceID, Map<String, Instant>> heldSince = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration hold;
    /** Told of each pod as our write left it, with the pod it was written on (the pods' informer, to skip its event). */
    private volatile Written onWritten = (owner, after, before) -> { };

    /** A model-gate write: the pod as it left it, and as it was. */
    @FunctionalInterface
    interface Written {
        void pod(ResourceID owner, Pod after, Pod before);
    }

    /** @param hold how long a not-ready step waits before it is written to a pod that does not serve */
    public ModelReadyGate(Clock clock, Duration hold) {
        this.clock = clock;
        this.hold = hold;
    }

    /**
     * Decides from the replica's pull and its line in {@code status.health.replicas} (null before its first probe).
     */
    public static Verdict of(String model, PullState pull, ReplicaHealth line) {
        if (pull instanceof PullState.Pulling) {
            return new Verdict(false, "Pulling", "this replica is still pulling " + model
                    + "; it serves once the model is pulled, loaded and answers a probe");
        }
        if (pull instanceof PullState.Failed failed) {
            return new Verdict(false, "PullFailed", "pulling " + model + " onto this replica failed: " + failed.message());
        }
        if (!(pull instanceof PullState.Present)) {
            return new Verdict(false, "CheckingModel", "checking whether " + model + " is on this replica's volume");
        }
        if (line == null || line.getLastResult() == null) {
            return new Verdict(false, "AwaitingProbe", model + " is on this replica; waiting for it to load and "
                    + "answer a probe");
        }
        if (Boolean.TRUE.equals(line.getReady())) {
            return new Verdict(true, "ProbesSucceeding", "");
        }
        CircuitState circuit = CircuitState.of(line.getCircuit()).orElse(CircuitState.CLOSED);
        return switch (circuit) {
            case OPEN -> new Verdict(false, "CircuitOpen", "this replica's circuit is open: its probes fail (last "
                    + "result " + line.getLastResult() + "); the other replicas serve");
            case HALF_OPEN -> new Verdict(false, "CircuitHalfOpen", "trial probes decide whether this replica serves "
                    + "again (last result " + line.getLastResult() + ")");
            case CLOSED -> new Verdict(false, "ProbesFailing", "no probe of this replica has succeeded yet (last "
                    + "result " + line.getLastResult() + ")");
        };
    }

    /** Whether the pod's condition already says what {@code verdict} says. */
    static boolean says(Pod pod, Verdict verdict) {
        PodCondition current = condition(pod);
        return current != null && Objects.equals(current.getStatus(), status(verdict))
                && Objects.equals(current.getReason(), verdict.reason())
                && Objects.equals(Objects.requireNonNullElse(current.getMessage(), ""), verdict.message());
    }

    /**
     * Sets the condition on the pod unless it already says so, or we wrote it already; returns true when it wrote.
     * The transition time moves only when the status does.
     */
    boolean apply(KubernetesClient client, ResourceID owner, Pod pod, Verdict verdict) {
        Map<String, Verdict> ours = written.computeIfAbsent(owner, k -> new ConcurrentHashMap<>());
        Map<String, Instant> held = heldSince.computeIfAbsent(owner, k -> new ConcurrentHashMap<>());
        String uid = pod.getMetadata().getUid();
        if (says(pod, verdict)) {
            ours.put(uid, verdict);
            held.remove(uid);
            return false;
        }
        if (verdict.equals(ours.get(uid))) {
            held.remove(uid);
            return false;
        }
        Verdict shown = ours.get(uid);
        boolean serving = shown != null ? shown.ready() : "True".equals(Optional.ofNullable(condition(pod))
                .map(PodCondition::getStatus).orElse(null));
        if (!verdict.ready() && !serving) {
            Instant since = held.computeIfAbsent(uid, k -> clock.instant());
            if (clock.instant().isBefore(since.plus(hold))) {
                return false;
            }
        }
        held.remove(uid);
        List<PodCondition> conditions = pod.getStatus() == null || pod.getStatus().getConditions() == null
                ? List.of() : pod.getStatus().getConditions();
        int index = -1;
        for (int i = 0; i < conditions.size(); i++) {
            if (CONDITION.equals(conditions.get(i).getType())) {
                index = i;
            }
        }
        if (index < 0 && ours.containsKey(uid)) {
            // our first write is not in the cache yet: adding again would list the condition twice; the pod's
            // informer event for that write brings the next reconcile
            return false;
        }
        PodCondition current = index < 0 ? null : conditions.get(index);
        String since = current != null && Objects.equals(current.getStatus(), status(verdict))
                ? current.getLastTransitionTime() : clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode condition = json.objectNode().put("type", CONDITION).put("status", status(verdict))
                .put("reason", verdict.reason()).put("message", verdict.message()).put("lastTransitionTime", since);
        // a JSON patch of our condition alone, tested on its own entry, not on the pod's resource version: the
        // kubelet writes the pod's status often while it starts (its other conditions), which is no conflict
        // with ours; it keeps conditions it does not own where they are (pkg/kubelet/status mergePodStatus)
        ArrayNode patch = json.arrayNode();
        if (current == null && conditions.isEmpty()) {
            patch.addObject().put("op", "add").put("path", "/status/conditions").set("value",
                    json.arrayNode().add(condition));
        } else if (current == null) {
            patch.addObject().put("op", "add").put("path", "/status/conditions/-").set("value", condition);
        } else {
            String path = "/status/conditions/" + index;
            patch.addObject().put("op", "test").put("path", path + "/type").put("value", CONDITION);
            patch.addObject().put("op", "replace").put("path", path).set("value", condition);
        }
        Pod updated;
        try {
            // resource(pod): the patch names the cached pod, so the client sends it without a GET first
            updated = client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), patch.toString());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 422 && e.getCode() != 404) {
                throw e;
            }
            // the pod's conditions moved (the test of our entry failed) or it went since the cache saw it: its
            // informer event brings the next reconcile
            LOG.debug("pod {} changed before its {} condition was set: {}", pod.getMetadata().getName(), CONDITION,
                    e.getMessage());
            return false;
        }
        ours.put(uid, verdict);
        if (updated != null) {
            onWritten.pod(owner, updated, pod);
        }
        return true;
    }

    /**
     * Who is told of each write, with the pod as written and as it was: the LocalModel controller's pod informer,
     * so that the write's own event starts no reconcile and the next one sees the write at once.
     */
    void onWritten(Written listener) {
        this.onWritten = listener;
    }

    /** When the soonest not-ready step held for one of {@code owner}'s pods is due to be written, if one is held. */
    Optional<Instant> heldUntil(ResourceID owner) {
        return Optional.ofNullable(heldSince.get(owner)).flatMap(held -> held.values().stream().min(Instant::compareTo))
                .map(since -> since.plus(hold));
    }

    /** Forgets what was written for pods of {@code owner} other than {@code pods}. */
    void retain(ResourceID owner, java.util.Collection<Pod> pods) {
        var uids = pods.stream().map(p -> p.getMetadata().getUid()).collect(java.util.stream.Collectors.toSet());
        written.computeIfPresent(owner, (k, ours) -> {
            ours.keySet().retainAll(uids);
            return ours;
        });
        heldSince.computeIfPresent(owner, (k, held) -> {
            held.keySet().retainAll(uids);
            return held;
        });
    }

    /** Forgets what was written for {@code owner}'s pods. */
    void forget(ResourceID owner) {
        written.remove(owner);
        heldSince.remove(owner);
    }

    private static String status(Verdict verdict) {
        return verdict.ready() ? "True" : "False";
    }

    private static PodCondition condition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> CONDITION.equals(c.getType())).findFirst().orElse(null);
    }
}
