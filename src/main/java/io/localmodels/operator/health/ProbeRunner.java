package io.localmodels.operator.health;

import io.localmodels.operator.config.Durations;
import io.localmodels.operator.ollama.ChatRequest;
import io.localmodels.operator.ollama.ModelName;
import io.localmodels.operator.ollama.OllamaClient;
import io.localmodels.operator.ollama.OllamaException;
import io.localmodels.operator.ollama.PsResponse;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One probe cycle, start to classified end: look at {@code /api/ps} (no GPU work); when the model is not in memory,
 * load it with a warm-up under {@code loadTimeout} — Ollama ties a load to the request that started it and aborts it
 * when that client leaves, so the probe timeout must never apply to a load; then probe with {@code /api/chat} (think
 * chosen from capabilities) or, for embedding models, {@code /api/embed}; a probe that times out while the server
 * answers {@code GET /} and lists the model in memory is {@link ProbeOutcome#Busy}. Capabilities are cached per
 * endpoint and model. Shared by the {@link HealthMonitor} and the {@code probe} CLI. Never blocks: everything runs
 * on okhttp's dispatcher. The returned future never completes exceptionally.
 */
public final class ProbeRunner {

    /** How long {@code GET /} and {@code /api/ps} may take: both answer at once on a healthy server, however busy. */
    static final Duration QUICK = Duration.ofSeconds(5);

    /** What the capabilities decide: the think value (null: send none) and whether to embed instead of chat. */
    private record Plan(Object think, boolean embed) {
    }

    /** What {@code /api/ps} said of the model: whether it answered at all, and the model's entry if listed. */
    private record Listing(boolean answered, Optional<PsResponse.Model> entry) {
    }

    private final Map<String, Plan> plans = new ConcurrentHashMap<>();

    /**
     * A whole cycle. {@code keepAlive} goes with the warm-up (null: the server's own); a load runs when {@code turn}
     * lets it, through the client it gives.
     */
    public CompletableFuture<ProbeCycle> cycle(OllamaClient client, String model, ProbeSettings settings, String keepAlive,
                                               LoadTurn turn) {
        String key = client.baseUrl() + " " + model;
        return listing(client, model, settings)
                .thenCompose(listing -> plan(client, model, settings, key).thenCompose(plan -> {
                    boolean psAnswered = listing.answered();
                    Optional<PsResponse.Model> inMemory = listing.entry();
                    if (psAnswered && inMemory.isEmpty()) {
                        // after a load, /api/ps again (no GPU work): the first result then carries the VRAM share,
                        // rather than a status write of its own one probe interval later
                        return turn.run(loader -> load(loader, model, settings, keepAlive, plan)).thenCompose(load -> load.succeeded()
                                ? probe(client, model, settings, plan).thenCompose(p -> listing(client, model, settings)
                                        .thenApply(after -> new ProbeCycle(after.entry(), true, Optional.of(load), p)))
                                : CompletableFuture.completedFuture(new ProbeCycle(inMemory, true, Optional.of(load),
                                        loadFailure(load))));
                    }
                    return probe(client, model, settings, plan).thenCompose(p -> busyOrNot(client, p, inMemory.isPresent()))
                            .thenApply(p -> new ProbeCycle(inMemory, psAnswered, Optional.empty(), p));
                }))
                .exceptionally(error -> new ProbeCycle(Optional.empty(), false, Optional.empty(),
                        ProbeClassifier.classify(error, Duration.ZERO)))
                .thenApply(cycle -> {
                    if (cycle.probe().outcome() == ProbeOutcome.ModelNotFound) {
                        // pulled again later, perhaps as a different build: look its capabilities up afresh
                        plans.remove(key);
                    }
                    return cycle;
                });
    }

    /** {@code /api/ps} and the model's entry in it; never fails (a server that does not answer: not answered). */
    private static CompletableFuture<Listing> listing(OllamaClient client, String model, ProbeSettings settings) {
        return client.psAsync(min(QUICK, settings.timeout()))
                .handle((ps, error) -> new Listing(ps != null, ps == null ? Optional.empty() : ps.stream()
                        .filter(m -> ModelName.sameModel(m.name(), model) || ModelName.sameModel(m.model(), model))
                        .findFirst()));
    }

    /** Only the probe of {@link #cycle}: no load step, no busy check (kept for callers that test classification). */
    public CompletableFuture<ProbeResult> probe(OllamaClient client, String model, ProbeSettings settings) {
        long start = System.nanoTime();
        String key = client.baseUrl() + " " + model;
        return plan(client, model, settings, key)
                .thenCompose(plan -> probe(client, model, settings, plan))
                .exceptionally(error -> ProbeClassifier.classify(error, since(start)))
                .thenApply(result -> {
                    if (result.outcome() == ProbeOutcome.ModelNotFound) {
                        plans.remove(key);
                    }
                    return result;
                });
    }

    /**
     * What the automatic choice settled on for this endpoint and model: "false", a level, "-" when {@code think}
     * is not sent, "embed" for an embedding model; empty before the capabilities were looked up.
     */
    public Optional<String> cachedThink(String baseUrl, String model) {
        Plan plan = plans.get(baseUrl + " " + model);
        if (plan == null) {
            return Optional.empty();
        }
        return Optional.of(plan.embed() ? "embed" : plan.think() == null ? "-" : plan.think().toString());
    }

    private CompletableFuture<ProbeResult> probe(OllamaClient client, String model, ProbeSettings settings, Plan plan) {
        long start = System.nanoTime();
        if (plan.embed()) {
            return client.embed(model, settings.prompt(), settings.timeout()).handle((reply, error) -> reply != null
                    ? ProbeClassifier.classifyEmbed(reply) : ProbeClassifier.classify(error, since(start)));
        }
        ChatRequest request = ChatRequest.probe(model, settings.prompt(), settings.maxTokens(), plan.think());
        return client.chat(request, settings.timeout()).handle((reply, error) -> reply != null
                ? ProbeClassifier.classify(reply) : ProbeClassifier.classify(error, since(start)));
    }

    private static CompletableFuture<ProbeCycle.Load> load(OllamaClient client, String model, ProbeSettings settings,
                                                           String keepAlive, Plan plan) {
        long start = System.nanoTime();
        var call = plan.embed() ? client.loadEmbedding(model, keepAlive, settings.loadTimeout())
                : client.load(model, keepAlive, settings.loadTimeout());
        return call.handle((reply, error) -> {
            Duration took = since(start);
            if (reply == null) {
                ProbeResult r = ProbeClassifier.classify(error, took);
                String why = r.outcome() == ProbeOutcome.Timeout
                        ? "the model did not load within spec.probe.loadTimeout (" + Durations.format(settings.loadTimeout()) + ")"
                        : r.error();
                return new ProbeCycle.Load(took, why, r.outcome());
            }
            if (reply.code() < 200 || reply.code() > 299) {
                // Ollama's own words, e.g. "model requires more system memory (…) than is available (…)"
                return new ProbeCycle.Load(took, "HTTP " + reply.code() + ": " + OllamaException.errorText(reply.body()),
                        ProbeClassifier.classify(reply).outcome());
            }
            return new ProbeCycle.Load(took, "", ProbeOutcome.Success);
        });
    }

    private static ProbeResult loadFailure(ProbeCycle.Load load) {
        return new ProbeResult(load.outcome(), load.took(), 0, false, 0, "load failed: " + load.error());
    }

    /**
     * A timed-out probe of a model in memory, on a server whose HTTP side answers at once, waited for a slot: the
     * model is working for users, not down.
     */
    private static CompletableFuture<ProbeResult> busyOrNot(OllamaClient client, ProbeResult probe, boolean inMemory) {
        if (probe.outcome() != ProbeOutcome.Timeout || !inMemory) {
            return CompletableFuture.completedFuture(probe);
        }
        return client.alive(QUICK).thenApply(alive -> alive
                ? probe.as(ProbeOutcome.Busy, "no answer within " + probe.latencyMillis() + " ms while the server "
                        + "answers and the model is loaded: its slots are taken by other requests")
                : probe);
    }

    private CompletableFuture<Plan> plan(OllamaClient client, String model, ProbeSettings settings, String key) {
        Optional<Object> explicit = ThinkChoice.explicit(settings.think());
        boolean embedChosen = ProbeSettings.EMBED.equals(settings.method());
        // an explicit think level means a chat model: no capability look-up
        if (embedChosen || explicit.isPresent()) {
            return CompletableFuture.completedFuture(new Plan(explicit.orElse(null), embedChosen));
        }
        Plan cached = plans.get(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return client.showAsync(model, min(QUICK, settings.timeout())).thenApply(show -> {
            boolean embed = !ProbeSettings.CHAT.equals(settings.method()) && show.embedsOnly();
            Plan plan = new Plan(explicit.orElseGet(() -> embed ? null : ThinkChoice.fromCapabilities(show)), embed);
            plans.put(key, plan);
            return plan;
        });
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
