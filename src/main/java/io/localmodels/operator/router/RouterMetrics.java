package io.localmodels.operator.router;

import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.ops.ResourceGauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The gauges of each ModelRouter, tagged namespace and name: {@code localmodels_router_degraded} (1 when a model name
 * has no healthy backend) and its backends over all model names: {@code localmodels_router_backends},
 * {@code localmodels_router_backends_healthy}, {@code localmodels_router_backends_excluded} (left out by health
 * gating). Per router, not per backend: a fleet's routers are few, its LocalModels many.
 */
public final class RouterMetrics {

    private final ResourceGauge degraded;
    private final ResourceGauge backends;
    private final ResourceGauge healthy;
    private final ResourceGauge excluded;

    public RouterMetrics(MeterRegistry registry) {
        degraded = new ResourceGauge(registry, "localmodels.router.degraded",
                "1 when a model name of the router has no healthy backend");
        backends = new ResourceGauge(registry, "localmodels.router.backends",
                "Backends the router's model names list");
        healthy = new ResourceGauge(registry, "localmodels.router.backends.healthy",
                "Backends that are Ready with a closed circuit");
        excluded = new ResourceGauge(registry, "localmodels.router.backends.excluded",
                "Backends left out of the LiteLLM config by health gating");
    }

    void set(ModelRouter router, LiteLlmConfig rendered) {
        degraded.set(router, Tags.empty(), rendered.degraded() ? 1 : 0);
        backends.set(router, Tags.empty(), rendered.models().stream().mapToInt(m -> count(m.getBackends())).sum());
        healthy.set(router, Tags.empty(), rendered.models().stream().mapToInt(m -> count(m.getHealthyBackends())).sum());
        excluded.set(router, Tags.empty(), rendered.models().stream()
                .mapToInt(m -> m.getExcluded() == null ? 0 : m.getExcluded().size()).sum());
    }

    private static int count(Integer n) {
        return n == null ? 0 : n;
    }

    void remove(ModelRouter router) {
        degraded.remove(router);
        backends.remove(router);
        healthy.remove(router);
        excluded.remove(router);
    }
}
