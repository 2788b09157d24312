package io.localmodels.operator.router;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.localmodels.operator.api.Backend;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.RoutedModel;
import io.localmodels.operator.config.Shard;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

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

    /**
     * The named LocalModels missing from this shard's cache that exist outside the shard. Asked of the API server
     * ({@code read}, null when there is none) only when the operator manages a shard and only for the names the cache
     * lacks, so a router whose backends are all in place costs no read. One that exists and matches the selector is
     * in the shard, only not cached yet: its informer event will bring the router back.
     */
    static OutOfShard outsideShard(ModelRouter router, Set<String> found, Shard shard,
                                   Function<String, ? extends HasMetadata> read) {
        if (shard.isAll()) {
            return OutOfShard.NONE;
        }
        Set<String> outside = new TreeSet<>();
        for (String name : names(router)) {
            if (!found.contains(name)) {
                HasMetadata lm = read.apply(name);
                if (lm != null && !shard.contains(lm.getMetadata().getLabels())) {
                    outside.add(name);
                }
            }
        }
        return outside.isEmpty() ? OutOfShard.NONE : new OutOfShard(shard.resourceSelector().orElseThrow(), outside);
    }

    /** Index keys of a router: one {@code namespace/localModel} per LocalModel it names. */
    static List<String> indexKeys(ModelRouter router) {
        String ns = router.getMetadata().getNamespace();
        return names(router).stream().map(n -> ns + "/" + n).toList();
    }

    static String indexKey(LocalModel lm) {
        return lm.getMetadata().getNamespace() + "/" + lm.getMetadata().getName();
    }

    /**
     * What the rendered config and router status read from a LocalModel; the capabilities decide the deployment's
     * kind (chat or embeddings) and {@code supports_function_calling}.
     */
    record RoutingView(String model, String endpoint, Optional<String> notRoutable, Integer contextLength,
                       List<String> capabilities) {

        static RoutingView of(LocalModel lm) {
            var details = lm.getStatus() == null ? null : lm.getStatus().getModel();
            return new RoutingView(lm.getSpec() == null ? null : lm.getSpec().getModel(),
                    LiteLlmConfig.endpointOf(lm),
                    BackendGate.whyNotRoutable(lm),
                    details == null ? null : details.getContextLength(),
                    details == null ? null : details.getCapabilities());
        }
    }

    /** True when a LocalModel update can change a router's config or status. */
    static boolean routingChanged(LocalModel before, LocalModel after) {
        return before == null || after == null || !RoutingView.of(before).equals(RoutingView.of(after));
    }
}
