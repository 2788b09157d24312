package io.localmodels.operator.router;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterStatus;
import io.localmodels.operator.api.RouterPhase;
import io.localmodels.operator.status.Conditions;

import java.time.Clock;
import java.time.Instant;

/** Builds a ModelRouter's status from what the reconcile saw; conditions keep their transition times. */
final class ModelRouterStatusFactory {

    static final String CONFIG_VALID = "ConfigValid";
    static final String AVAILABLE = "Available";
    static final String DEGRADED = "Degraded";

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
        conditions.set(AVAILABLE, ready > 0, ready > 0 ? "ReplicasReady" : "NoReadyReplicas",
                ready + "/" + replicas + " proxy replicas ready");
        conditions.set(DEGRADED, config.degraded(), config.degraded() ? "NoHealthyBackend" : "AllModelsHealthy",
                config.degraded() ? config.degradedDetail() : "every model name has a healthy backend");

        ModelRouterStatus s = new ModelRouterStatus();
        s.setObservedGeneration(generation);
        s.setPhase((!config.valid() ? RouterPhase.INVALID : ready == 0 ? RouterPhase.PENDING
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

    static String shortHash(String hash) {
        return hash == null ? "none" : hash.substring(0, Math.min(12, hash.length()));
    }
}
