package io.localmodels.operator.model;

import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelDetails;
import io.localmodels.operator.health.HealthMonitor.PublishedHealth;
import io.localmodels.operator.pull.PullState;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 */
public record ModelObservation(LocalModel resource, List<String> problems, String endpoint, int desired,
                               ReplicaObservation replicas, Map<String, PullState> pulls, boolean reachable,
                               Optional<PublishedHealth> health, Optional<ModelDetails> inspected) {

    /** What an invalid spec lets the operator observe: nothing. */
    public static ModelObservation invalid(LocalModel resource, List<String> problems) {
        return new ModelObservation(resource, problems, null, 0, ReplicaObservation.of(List.of()), Map.of(), false,
                Optional.empty(), Optional.empty());
    }

    public boolean external() {
        return resource.getSpec() != null && resource.getSpec().getExternal() != null;
    }

    public int ready() {
        return external() ? (reachable ? 1 : 0) : replicas.readyPods().size();
    }
}
