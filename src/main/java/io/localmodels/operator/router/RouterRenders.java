package io.localmodels.operator.router;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders each router's LiteLLM config for its reconciles, remembering per router what the last render wrote: the
 * text of each {@code model_list} entry (a render dumps only the entries that changed) and the deployment ids of
 * recent configs (whether a config only takes backends out is known without parsing the applied one). The text is
 * the same, byte for byte, as a render without memory. One reconcile per router at a time; routers in parallel.
 */
final class RouterRenders {

    /** The applied config and the latest renders: enough for the applied one to be found after a rollout. */
    private static final int REMEMBERED_CONFIGS = 4;

    private record Memory(EntryTexts texts, Map<String, Set<String>> idsByHash) {
    }

    private final Map<ResourceID, Memory> byRouter = new ConcurrentHashMap<>();

    LiteLlmConfig render(ModelRouter router, Map<String, LocalModel> localModels, SecretCatalog secrets,
                         OutOfShard outOfShard) {
        Memory memory = memory(ResourceID.fromResource(router));
        LiteLlmConfig config = LiteLlmConfig.render(router, localModels, secrets, outOfShard, memory.texts());
        memory.idsByHash().put(config.hash(), config.deploymentIds());
        return config;
    }

    /** Whether {@code next} only takes backends out of the applied config ({@code appliedText}, hash {@code appliedHash}). */
    boolean onlyRemovesBackends(ResourceID router, String appliedHash, String appliedText, LiteLlmConfig next) {
        // parsed only when this process did not render it (after a restart, or another operator's rollout)
        Set<String> applied = memory(router).idsByHash()
                .computeIfAbsent(appliedHash, h -> LiteLlmConfig.deploymentIds(appliedText));
        return LiteLlmConfig.onlyRemovesBackends(applied, next.deploymentIds());
    }

    void forget(ResourceID router) {
        byRouter.remove(router);
    }

    private Memory memory(ResourceID router) {
        return byRouter.computeIfAbsent(router, r -> new Memory(new EntryTexts(), lru()));
    }

    /** The most recently rendered or asked about configs; the applied one is asked about on every held rollout. */
    private static Map<String, Set<String>> lru() {
        return new LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
                return size() > REMEMBERED_CONFIGS;
            }
        };
    }
}
