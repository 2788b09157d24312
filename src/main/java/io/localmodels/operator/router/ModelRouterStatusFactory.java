package io.localmodels.operator.router;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterStatus;
import io.localmodels.operator.api.RouterPhase;
import io.localmodels.operator.status.Conditions;
import io.localmodels.operator.status.StatusWriter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Optional;

/** Builds a ModelRouter's status from what the reconcile saw; conditions keep their transition times. */
final class ModelRouterStatusFactory {

    static final String CONFIG_VALID = "ConfigValid";
    static final String AVAILABLE = "Available";
    static final String DEGRADED = "Degraded";

    /**
     * The Deployment controller's copy of its ReplicaSet's {@code ReplicaFailure} condition (reason FailedCreate and
     * the API server's rejection, the same words as the ReplicaSet controller's FailedCreate Event). It is removed
     * when pods can be created again: level-based, and on the Deployment the router already watches, so no Events
     * and no ReplicaSets need to be read.
     */
    static final String REPLICA_FAILURE = "ReplicaFailure";

    private final Clock clock;

    ModelRouterStatusFactory(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param appliedHash   hash of the config in the ConfigMap now (null when none was ever applied)
     * @param deferredUntil when a newer valid config waits for the rollout interval: when it will be applied
     * @param deployment    the proxy Deployment as observed, or null
     */
    ModelRouterStatus build(ModelRouter router, LiteLlmConfig config, String appliedHash, Instant deferredUntil,
                            Deployment deployment) {
        ModelRouterStatus previous = router.getStatus();
        long generation = router.getMetadata().getGeneration() == null ? 0 : router.getMetadata().getGeneration();
        Conditions conditions = new Conditions(previous == null ? null : previous.getConditions(), generation, clock);

        int replicas = ProxyResources.replicas(router);
        int ready = deployment == null || deployment.getStatus() == null
                || deployment.getStatus().getReadyReplicas() == null ? 0 : deployment.getStatus().getReadyReplicas();
        long healthyNames = config.models().stream().filter(m -> m.getHealthyBackends() > 0).count();

        if (!config.valid()) {
            conditions.set(CONFIG_VALID, false, "InvalidSpec", String.join("; ", config.problems())
                    + (appliedHash == null ? "" : "; the last good config stays in place"));
        } else if (deferredUntil != null) {
            conditions.set(CONFIG_VALID, true, "RolloutPending", "config " + shortHash(config.hash())
                    + " is applied at " + deferredUntil + " (at most one rollout per interval)");
        } else {
            conditions.set(CONFIG_VALID, true, "ConfigApplied", "config " + shortHash(config.hash()) + " applied");
        }
        Optional<DeploymentCondition> replicaFailure = deployment == null || deployment.getStatus() == null
                || deployment.getStatus().getConditions() == null ? Optional.empty()
                : deployment.getStatus().getConditions().stream()
                        .filter(c -> REPLICA_FAILURE.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus()))
                        .findFirst();
        conditions.set(AVAILABLE, ready > 0, ready > 0 ? "ReplicasReady"
                        : replicaFailure.map(DeploymentCondition::getReason).orElse("NoReadyReplicas"),
                ready + "/" + replicas + " proxy replicas ready"
                        + replicaFailure.map(c -> ": " + c.getMessage()).orElse(""));
        conditions.set(DEGRADED, config.degraded(), config.degraded() ? "NoHealthyBackend" : "AllModelsHealthy",
                config.degraded() ? config.degradedDetail() : "every model name has a healthy backend");

        ModelRouterStatus s = new ModelRouterStatus();
        s.setObservedGeneration(generation);
        // no proxy pod can be created (quota, LimitRange, Pod Security): it will not fix itself
        RouterPhase noneReady = replicaFailure.isPresent() ? RouterPhase.FAILED : RouterPhase.PENDING;
        s.setPhase((!config.valid() ? RouterPhase.INVALID : ready == 0 ? noneReady
                : config.degraded() ? RouterPhase.DEGRADED : RouterPhase.READY).value());
        s.setEndpoint(ProxyResources.endpoint(router));
        s.setReplicas(replicas);
        s.setReadyReplicas(ready);
        s.setReady(ready + "/" + replicas);
        s.setModelCount(config.models().size());
        s.setHealthy(healthyNames + "/" + config.models().size());
        s.setConfigHash(appliedHash);
        s.setModels(config.models());
        s.setConditions(conditions.build());
        return s;
    }

    /**
     * When a router's status is written: at once when what users act on changed (the phase, a condition turning
     * True or False, a new generation); everything else (the applied {@code configHash}, proxy replica counts,
     * backend counts, why a backend is left out, backends' traffic figures, condition messages such as which config
     * waits for the rollout interval) at most once per {@code period} after the last write, so a fleet coming up
     * writes each router about once per period however many backends and rollouts it brings. A held change is
     * written when due (at once when the last write is a period old): no routing change waits longer than one
     * period, and each rollout is told at once by its {@code ConfigApplied} Event.
     */
    static StatusWriter.Pacing<ModelRouterStatus> pacing(Duration period) {
        return (before, after, pending, last) -> last.isEmpty() || changesAtOnce(before, after) ? pending
                : latest(pending, last.get().plus(period));
    }

    /**
     * The phase, a condition's status and the generation. A rollout moves {@code configHash} up to once per rollout
     * interval (more often when backends are taken out) and the proxy's ready count moves during each rollout:
     * written at once they were most of a bring-up's router writes (issue 13, docs/performance.md).
     */
    static boolean changesAtOnce(ModelRouterStatus before, ModelRouterStatus after) {
        return before == null
                || !Objects.equals(before.getPhase(), after.getPhase())
                || !Objects.equals(before.getObservedGeneration(), after.getObservedGeneration())
                || !conditionStates(before).equals(conditionStates(after));
    }

    private static Map<String, String> conditionStates(ModelRouterStatus status) {
        Map<String, String> out = new TreeMap<>();
        if (status.getConditions() != null) {
            status.getConditions().forEach(c -> out.put(c.getType(), c.getStatus()));
        }
        return out;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static String shortHash(String hash) {
        return hash == null ? "none" : hash.substring(0, Math.min(12, hash.length()));
    }
}
