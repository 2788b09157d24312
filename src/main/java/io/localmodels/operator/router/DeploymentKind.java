package io.localmodels.operator.router;

import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelDetails;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a LocalModel serves through LiteLLM, from its {@code status.model.capabilities} (Ollama's /api/show): chat, or
 * embeddings for a model with {@code embedding} and not {@code completion} (Ollama refuses /api/chat for it with 400
 * {@code "<m>" does not support chat}). The kind decides LiteLLM's provider prefix: its {@code embedding()} has a
 * branch for {@code ollama} only (POST {@code {api_base}/api/embed}); {@code ollama_chat} is chat-only.
 */
enum DeploymentKind {
    CHAT("ollama_chat/"),
    EMBEDDING("ollama/");

    private final String providerPrefix;

    DeploymentKind(String providerPrefix) {
        this.providerPrefix = providerPrefix;
    }

    /** {@code litellm_params.model} for an Ollama model name. */
    String liteLlmModel(String ollamaModel) {
        return providerPrefix + ollamaModel;
    }

    /** The kind Ollama reports for this LocalModel; empty until its status lists capabilities. */
    static Optional<DeploymentKind> of(LocalModel lm) {
        ModelDetails details = lm == null || lm.getStatus() == null ? null : lm.getStatus().getModel();
        List<String> caps = details == null ? null : details.getCapabilities();
        if (caps == null || caps.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(caps.contains("embedding") && !caps.contains("completion") ? EMBEDDING : CHAT);
    }

    /**
     * The kind of a model name: embeddings when a backend is known to serve embeddings, otherwise chat. Backends not
     * yet known follow the others; mixed kinds are a validation problem ({@link ModelRouterValidation}).
     */
    static DeploymentKind ofGroup(Collection<LocalModel> backends) {
        return backends.stream().filter(Objects::nonNull).map(DeploymentKind::of).flatMap(Optional::stream)
                .anyMatch(k -> k == EMBEDDING) ? EMBEDDING : CHAT;
    }
}
