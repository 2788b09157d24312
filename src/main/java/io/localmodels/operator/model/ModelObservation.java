package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelDetails;
import io.localmodels.operator.health.ModelMemory;
import io.localmodels.operator.health.PublishedHealth;
import io.localmodels.operator.pull.PullState;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Everything one reconcile observed about a LocalModel, gathered before the status is decided.
 *
 * @param problems  validation problems; when not empty nothing else was observed
 * @param endpoint  the base URL shown in status (the Service, or the external URL)
 * @param desired   replicas asked for (1 for an external server)
 * @param replicas  pods of a managed model; empty for an external one
 * @param pulls     pull state per ready replica (pod name, or the external URL)
 * @param reachable for an external server: whether it answered
 * @param health    the health monitor's last published view, once probes ran
 * @param inspected what Ollama reports about the model (version, capabilities, context, VRAM), once known
 * @param memory    what the probe cycles saw of the model in memory: a load under way, the last load, reloads
 * @param gates     what each server pod's {@link ModelReadyGate} says, by pod name; empty for an external server
 */
public record ModelObservation(LocalModel resource, List<String> problems, String endpoint, int desired,
                               ReplicaObservation replicas, Map<String, PullState> pulls, boolean reachable,
                               Optional<PublishedHealth> health, Optional<ModelDetails> inspected,
                               Optional<ModelMemory> memory, Map<String, ModelReadyGate.Verdict> gates) {

    public ModelObservation(LocalModel resource, List<String> problems, String endpoint, int desired,
                            ReplicaObservation replicas, Map<String, PullState> pulls, boolean reachable,
                            Optional<PublishedHealth> health, Optional<ModelDetails> inspected) {
        this(resource, problems, endpoint, desired, replicas, pulls, reachable, health, inspected, Optional.empty(),
                gatesOf(resource, replicas, pulls, health));
    }

    /**
     * The gates as they stand when every replica fares as the model does: open where the model is on disk and
     * healthy. For callers without per-replica figures (the offline render, tests).
     */
    private static Map<String, ModelReadyGate.Verdict> gatesOf(LocalModel lm, ReplicaObservation replicas,
                                                               Map<String, PullState> pulls,
                                                               Optional<PublishedHealth> health) {
        Map<String, ModelReadyGate.Verdict> gates = new LinkedHashMap<>();
        boolean healthy = health.map(PublishedHealth::healthy).orElse(false);
        String model = lm.getSpec() == null ? null : lm.getSpec().getModel();
        replicas.servers().forEach(p -> {
            PullState pull = pulls.get(p.getMetadata().getName());
            gates.put(p.getMetadata().getName(), pull instanceof PullState.Present && healthy
                    ? new ModelReadyGate.Verdict(true, "ProbesSucceeding", "") : ModelReadyGate.of(model, pull, null));
        });
        return gates;
    }

    /** What an invalid spec lets the operator observe: nothing. */
    public static ModelObservation invalid(LocalModel resource, List<String> problems) {
        return new ModelObservation(resource, problems, null, 0, ReplicaObservation.of(List.of()), Map.of(), false,
                Optional.empty(), Optional.empty());
    }

    /**
     * What a reconcile would observe once {@code lm} serves: every replica ready, the model on disk, probes passing
     * and the circuit closed. The offline {@code render} builds a router's config from the status this gives.
     */
    public static ModelObservation serving(LocalModel lm, String endpoint) {
        boolean external = lm.getSpec().getExternal() != null;
        int desired = external ? 1 : OllamaWorkload.replicas(lm.getSpec());
        List<Pod> ready = external ? List.of() : IntStream.range(0, desired)
                .mapToObj(i -> new PodBuilder().withNewMetadata().withName(lm.getMetadata().getName() + "-" + i)
                        .endMetadata().build())
                .toList();
        Map<String, PullState> pulls = new LinkedHashMap<>();
        (external ? List.of(endpoint) : ready.stream().map(p -> p.getMetadata().getName()).toList())
                .forEach(where -> pulls.put(where, new PullState.Present(null, 0)));
        HealthStatus health = new HealthStatus();
        health.setCircuit(CircuitState.CLOSED.value());
        ModelDetails details = new ModelDetails();
        if (lm.getSpec().getOllama() != null) {
            details.setContextLength(lm.getSpec().getOllama().getContextLength());
        }
        return new ModelObservation(lm, List.of(), endpoint, desired,
                new ReplicaObservation(ready, Optional.empty(), Optional.empty(), Optional.empty(), false), pulls, external,
                Optional.of(new PublishedHealth(health, CircuitState.CLOSED, true, "ProbesSucceeding", "")),
                Optional.of(details));
    }

    public boolean external() {
        return resource.getSpec() != null && resource.getSpec().getExternal() != null;
    }

    /** Servers that answer: the external one when reachable, else pods whose containers are ready. */
    public int up() {
        return external() ? (reachable ? 1 : 0) : replicas.servers().size();
    }

    /** Replicas that serve traffic: for pods, those whose model gate is True (the kubelet then calls them Ready). */
    public int ready() {
        return external() ? up() : (int) gates.values().stream().filter(ModelReadyGate.Verdict::ready).count();
    }
}
