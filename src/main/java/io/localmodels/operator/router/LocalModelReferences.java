package io.localmodels.operator.router;

import io.localmodels.operator.api.Backend;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.RoutedModel;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which LocalModels a ModelRouter names, and what of a LocalModel matters to routing. Backs the index that maps a
 * LocalModel event to the routers of its namespace that name it, and the filter that ignores status churn (probe
 * times, latencies) that cannot change the rendered config.
 */
final class LocalModelReferences {

    static final String INDEX = "localModelRefs";

    private LocalModelReferences() {
    }

    /** LocalModel names in the router's backends, sorted. */
    static Set<String> names(ModelRouter router) {
        Set<String> out = new TreeSet<>();
        if (router.getSpec() == null || router.getSpec().getModels() == null) {
            return out;
        }
        for (RoutedModel m : router.getSpec().getModels()) {
            if (m != null && m.getBackends() != null) {
                m.getBackends().stream().filter(Objects::nonNull).map(Backend::getLocalModel)
                        .filter(Objects::nonNull).forEach(out::add);
            }
        }
        return out;
    }

    /** Index keys of a router: one {@code namespace/localModel} per LocalModel it names. */
    static List<String> indexKeys(ModelRouter router) {
        String ns = router.getMetadata().getNamespace();
        return names(router).stream().map(n -> ns + "/" + n).toList();
    }

    static String indexKey(LocalModel lm) {
        return lm.getMetadata().getNamespace() + "/" + lm.getMetadata().getName();
    }

    /** What the rendered config and router status read from a LocalModel. */
    record RoutingView(String model, String endpoint, Optional<String> notRoutable, Integer contextLength) {

        static RoutingView of(LocalModel lm) {
            return new RoutingView(lm.getSpec() == null ? null : lm.getSpec().getModel(),
                    LiteLlmConfig.endpointOf(lm),
                    BackendGate.whyNotRoutable(lm),
                    lm.getStatus() == null || lm.getStatus().getModel() == null ? null
                            : lm.getStatus().getModel().getContextLength());
        }
    }

    /** True when a LocalModel update can change a router's config or status. */
    static boolean routingChanged(LocalModel before, LocalModel after) {
        return before == null || after == null || !RoutingView.of(before).equals(RoutingView.of(after));
    }
}
