package io.localmodels.operator.bench;

import java.util.ArrayDeque;

/**
 * One model's runner in the {@link FleetOllama}, as Ollama 0.12.6's scheduler has it with its defaults: not in
 * memory until a request loads it (listed by {@code /api/ps} from the moment the load begins), then one slot
 * ({@code OLLAMA_NUM_PARALLEL=1}); a generation beyond it waits for the slot without limit, no 503
 * ({@code llm/server.go}: {@code s.sem.Acquire(ctx)}). No thread waits: a waiting generation is a queued callback
 * that runs when the one ahead of it releases the slot.
 */
final class FleetRunner {

    private boolean inMemory;
    private long loadedAtNanos;
    private boolean slotTaken;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

    /** Nanoseconds until the runner is loaded; the first request to a model not in memory starts its load. */
    synchronized long untilLoaded(long loadNanos) {
        long now = System.nanoTime();
        if (!inMemory) {
            inMemory = true;
            loadedAtNanos = now + loadNanos;
        }
        return Math.max(0, loadedAtNanos - now);
    }

    /** Loaded or loading: what {@code /api/ps} lists. */
    synchronized boolean inMemory() {
        return inMemory;
    }

    /**
     * Runs {@code generation} once it holds the slot: at once when the slot is free, otherwise after the requests
     * ahead of it released it. Returns false when it had to wait.
     */
    boolean acquire(Runnable generation) {
        synchronized (this) {
            if (slotTaken) {
                waiting.add(generation);
                return false;
            }
            slotTaken = true;
        }
        generation.run();
        return true;
    }

    /** The generation that held the slot is done: the next waiting one gets it. */
    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                slotTaken = false;
                return;
            }
        }
        next.run();
    }

    /** Takes {@code generation} out of the queue; false when it is not waiting (it holds or held the slot). */
    synchronized boolean withdraw(Runnable generation) {
        return waiting.remove(generation);
    }
}
