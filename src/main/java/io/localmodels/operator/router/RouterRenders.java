package io.localmodels.operator.router;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;

import java.util.Map;

/** Renders each router's LiteLLM config for its reconciles. */
final class RouterRenders {

    LiteLlmConfig render(ModelRouter router, Map<String, LocalModel> localModels, SecretCatalog secrets,
                         OutOfShard outOfShard) {
        return LiteLlmConfig.render(router, localModels, secrets, outOfShard);
    }

    /** Whether {@code next} only takes backends out of the applied config ({@code appliedText}, hash {@code appliedHash}). */
    boolean onlyRemovesBackends(ResourceID router, String appliedHash, String appliedText, LiteLlmConfig next) {
        return LiteLlmConfig.onlyRemovesBackends(appliedText, next.yaml());
    }

    void forget(ResourceID router) {
    }
}
