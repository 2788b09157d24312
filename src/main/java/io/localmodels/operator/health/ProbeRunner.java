package io.localmodels.operator.health;

import io.localmodels.operator.ollama.ChatRequest;
import io.localmodels.operator.ollama.OllamaClient;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One probe, start to classified end: choose {@code think} (capabilities cached per endpoint and model), send the
 * chat, classify. Shared by the {@link HealthMonitor} and the {@code probe} CLI. Never blocks: everything runs on
 * okhttp's dispatcher. The returned future never completes exceptionally.
 */
public final class ProbeRunner {

    /** A think value that may be "send nothing" (null), which a ConcurrentHashMap cannot hold bare. */
    private record Think(Object value) {
    }

    private final Map<String, Think> capabilities = new ConcurrentHashMap<>();

    public CompletableFuture<ProbeResult> probe(OllamaClient client, String model, ProbeSettings settings) {
        long start = System.nanoTime();
        String key = client.baseUrl() + " " + model;
        return think(client, model, settings, key)
                .thenCompose(think -> {
                    long chatStart = System.nanoTime();
                    ChatRequest request = ChatRequest.probe(model, settings.prompt(), settings.maxTokens(), think);
                    return client.chat(request, settings.timeout()).handle((reply, error) -> reply != null
                            ? ProbeClassifier.classify(reply)
                            : ProbeClassifier.classify(error, since(chatStart)));
                })
                .exceptionally(error -> ProbeClassifier.classify(error, since(start)))
                .thenApply(result -> {
                    if (result.outcome() == ProbeOutcome.ModelNotFound) {
                        // pulled again later, perhaps as a different build: look its capabilities up afresh
                        capabilities.remove(key);
                    }
                    return result;
                });
    }

    /**
     * What the automatic choice settled on for this endpoint and model: "false", a level, or "-" when {@code think}
     * is not sent; empty before the capabilities were looked up.
     */
    public Optional<String> cachedThink(String baseUrl, String model) {
        Think think = capabilities.get(baseUrl + " " + model);
        return think == null ? Optional.empty() : Optional.of(think.value() == null ? "-" : think.value().toString());
    }

    private CompletableFuture<Object> think(OllamaClient client, String model, ProbeSettings settings, String key) {
        Optional<Object> explicit = ThinkChoice.explicit(settings.think());
        if (explicit.isPresent()) {
            return CompletableFuture.completedFuture(explicit.get());
        }
        Think cached = capabilities.get(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.value());
        }
        return client.showAsync(model, settings.timeout()).thenApply(show -> {
            Object value = ThinkChoice.fromCapabilities(show);
            capabilities.put(key, new Think(value));
            return value;
        });
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
