package io.localmodels.operator.health;

import io.localmodels.operator.ollama.OllamaClient;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * When, and through which client, a probe cycle's model load runs. A load is one request that waits seconds to
 * minutes on a server of its own; {@link ProbeSchedule} gives loads their own lanes so that they do not hold the
 * probe slots (with 64 slots and 30 s loads, a fleet of 1000 coming up would take eight minutes, and the models
 * already Ready would wait behind the loads for their probes).
 */
@FunctionalInterface
public interface LoadTurn {

    /**
     * Runs {@code load} when its turn comes; the returned future completes with its result once the cycle may go
     * on (for the schedule: once the cycle holds a probe slot again).
     */
    CompletableFuture<ProbeCycle.Load> run(Function<OllamaClient, CompletableFuture<ProbeCycle.Load>> load);

    /** At once, through {@code client}: the {@code probe} CLI, which runs one cycle per replica. */
    static LoadTurn now(OllamaClient client) {
        return load -> load.apply(client);
    }
}
