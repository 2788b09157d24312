package io.localmodels.operator.fleet;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.localmodels.operator.api.ExcludedBackend;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterStatus;
import io.localmodels.operator.api.RouterModelStatus;
import io.localmodels.operator.health.HealthWindow;
import io.localmodels.operator.health.ModelHealthView;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The fleet at one moment, as the fleet page shows it: each LocalModel's status (phase, circuit, figures) with its
 * replicas' probe windows from the health monitor, and each ModelRouter's backends per model name with what health
 * gating left out and why. Built from the operator's informer caches and the monitor's view: no API calls.
 *
 * @param probing false when the monitor tracks nothing (a replica that is not the leader): figures come from status
 */
public record FleetSnapshot(List<ModelRow> models, List<RouterRow> routers, boolean probing) {

    /** The annotation shown under a resource's name, the conventional place for a sentence about an object. */
    static final String DESCRIPTION = "kubernetes.io/description";

    /** One LocalModel; figures are null where status has none yet. */
    public record ModelRow(String namespace, String name, String description, String model, String phase, String ready,
                           String circuit, Double successRate, Long p50Ms, Long p95Ms, String lastResult, String why,
                           List<Window> windows) {
    }

    /** One replica's probe window, oldest probe first. */
    public record Window(String replica, List<HealthWindow.Point> points) {
    }

    /** One ModelRouter. */
    public record RouterRow(String namespace, String name, String description, String phase, String ready,
                            List<RoutedName> models, String why) {
    }

    /** One model name of a router: its backends, how many are healthy, and the ones left out with the reason. */
    public record RoutedName(String name, int backends, int healthy, List<ExcludedBackend> excluded) {
    }

    public static FleetSnapshot of(Collection<LocalModel> localModels, Collection<ModelRouter> modelRouters,
                                   List<ModelHealthView> monitor) {
        Map<String, List<ModelHealthView>> byModel = monitor.stream()
                .collect(Collectors.groupingBy(v -> v.namespace() + "/" + v.name()));
        List<ModelRow> models = localModels.stream().sorted(BY_NAMESPACE_AND_NAME)
                .map(lm -> model(lm, byModel.getOrDefault(key(lm), List.of())))
                .toList();
        List<RouterRow> routers = modelRouters.stream().sorted(BY_NAMESPACE_AND_NAME).map(FleetSnapshot::router).toList();
        return new FleetSnapshot(models, routers, !monitor.isEmpty());
    }

    private static final Comparator<HasMetadata> BY_NAMESPACE_AND_NAME = Comparator
            .comparing((HasMetadata r) -> Objects.requireNonNullElse(r.getMetadata().getNamespace(), ""))
            .thenComparing(r -> r.getMetadata().getName());

    private static String key(HasMetadata r) {
        return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }

    private static ModelRow model(LocalModel lm, List<ModelHealthView> replicas) {
        LocalModelStatus status = Optional.ofNullable(lm.getStatus()).orElseGet(LocalModelStatus::new);
        HealthStatus health = Optional.ofNullable(status.getHealth()).orElseGet(HealthStatus::new);
        List<Window> windows = replicas.stream().map(v -> new Window(v.replica(), v.window())).toList();
        return new ModelRow(lm.getMetadata().getNamespace(), lm.getMetadata().getName(), description(lm),
                lm.getSpec() == null ? null : lm.getSpec().getModel(), status.getPhase(), status.getReady(),
                health.getCircuit(), health.getSuccessRate(), health.getLatencyP50Ms(), health.getLatencyP95Ms(),
                health.getLastResult(), why(status.getConditions()), windows);
    }

    private static RouterRow router(ModelRouter router) {
        ModelRouterStatus status = Optional.ofNullable(router.getStatus()).orElseGet(ModelRouterStatus::new);
        List<RoutedName> names = Optional.ofNullable(status.getModels()).orElse(List.of()).stream()
                .map(FleetSnapshot::routed).toList();
        return new RouterRow(router.getMetadata().getNamespace(), router.getMetadata().getName(), description(router),
                status.getPhase(), status.getReady(), names, why(status.getConditions()));
    }

    private static RoutedName routed(RouterModelStatus m) {
        return new RoutedName(m.getName(), Objects.requireNonNullElse(m.getBackends(), 0),
                Objects.requireNonNullElse(m.getHealthyBackends(), 0),
                Optional.ofNullable(m.getExcluded()).orElse(List.of()));
    }

    private static String description(HasMetadata r) {
        Map<String, String> annotations = r.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(DESCRIPTION);
    }

    /**
     * What is wrong, in the operator's own words: the first condition that is False, with its message; null when none
     * is. (A router's Degraded shows in its healthy counts per model name.)
     */
    private static String why(List<Condition> conditions) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream()
                .filter(c -> "False".equals(c.getStatus()))
                .map(c -> c.getType() + ": " + Objects.requireNonNullElse(c.getMessage(), c.getReason()))
                .findFirst().orElse(null);
    }
}
