package io.localmodels.operator.router;

import io.localmodels.operator.api.Backend;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterStatus;
import io.localmodels.operator.api.RoutedModel;
import io.localmodels.operator.api.RouterBackendTraffic;
import io.localmodels.operator.api.RouterModelStatus;
import io.localmodels.operator.api.TrafficStatus;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Puts each backend's traffic through the router into {@code status.models[].traffic}: under every model name, its
 * declared backends in spec order (routed or left out), those with figures. A LocalModel that serves more than one
 * of the router's names (or the default model too) shows its whole traffic through the router under each: LiteLLM
 * counts per deployment, and the operator sums a LocalModel's deployments.
 */
final class BackendTrafficList {

    private BackendTrafficList() {
    }

    /** Copies of {@code models} with their backends' {@code traffic} (by LocalModel name); {@code models} themselves when none. */
    static List<RouterModelStatus> attach(ModelRouter router, List<RouterModelStatus> models,
                                          Map<String, TrafficStatus> traffic) {
        if (traffic.isEmpty() || models == null) {
            return models;
        }
        List<RouterModelStatus> out = new ArrayList<>(models.size());
        for (RouterModelStatus m : models) {
            List<RouterBackendTraffic> figures = declared(router, m.getName()).stream()
                    .filter(traffic::containsKey).map(lm -> RouterBackendTraffic.of(lm, traffic.get(lm))).toList();
            RouterModelStatus copy = m.copy();
            copy.setTraffic(figures.isEmpty() ? null : figures);
            out.add(copy);
        }
        return out;
    }

    /** The backends' figures {@code status} shows, by LocalModel name; empty when none. */
    static Map<String, TrafficStatus> shown(ModelRouterStatus status) {
        Map<String, TrafficStatus> out = new TreeMap<>();
        if (status != null && status.getModels() != null) {
            for (RouterModelStatus m : status.getModels()) {
                if (m != null && m.getTraffic() != null) {
                    m.getTraffic().stream().filter(t -> t != null && t.getLocalModel() != null)
                            .forEach(t -> out.putIfAbsent(t.getLocalModel(), t.copyInto(new TrafficStatus())));
                }
            }
        }
        return out;
    }

    /** The LocalModels that model name {@code name} declares, in spec order, each once. */
    private static Set<String> declared(ModelRouter router, String name) {
        Set<String> out = new LinkedHashSet<>();
        if (router.getSpec() == null || router.getSpec().getModels() == null) {
            return out;
        }
        for (RoutedModel m : router.getSpec().getModels()) {
            if (m != null && Objects.equals(m.getName(), name) && m.getBackends() != null) {
                m.getBackends().stream().filter(Objects::nonNull).map(Backend::getLocalModel)
                        .filter(Objects::nonNull).forEach(out::add);
            }
        }
        return out;
    }
}
