package io.localmodels.operator.health;

import io.localmodels.operator.status.LogContext;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * When probes run: each replica of each model on its interval, with at most {@code slots} probes in flight over all
 * of them. A replica's first probe runs as soon as a slot is free (it waits in line for one, ahead of later probes):
 * a model that just became servable should not wait up to an interval for its first health. Its second probe comes
 * after the interval ± half of it, at random, so that models started together spread out; from then on one per
 * interval. One scheduler thread owns all per-replica state; probes run asynchronously on okhttp's dispatcher and
 * hand their result back to that thread. A later tick that finds no free slot, or the previous probe still running,
 * waits for the next one.
 *
 * <p>A cycle that must load its model gives its slot back for the load, which takes one of {@code loadLanes} of its
 * own (a load is one request that waits, each on a server of its own), and goes on with its probe once it holds a
 * slot again, ahead of every other probe: the slots bound the probes, not the waits of models coming up.
 */
final class ProbeSchedule implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeSchedule.class);

    private final Clock clock;
    private final ProbeRunner runner;
    private final Semaphore slots;
    private final Consumer<ModelProbe> onPublish;
    private final BiConsumer<ModelProbe, ModelEvent> onEvent;
    /** Whether users' requests already said what a tick's probe would (see {@link TrafficJudge}). */
    private volatile BiPredicate<ModelProbe, Instant> trafficStandsIn = (probe, now) -> false;
    /** Replicas whose first probe found no free slot, in the order they came (scheduler thread). */
    private final Queue<ModelProbe> firstInLine = new ArrayDeque<>();
    /** Cycles whose load ended, waiting for a slot to probe with: ahead of every other probe (scheduler thread). */
    private final Queue<Runnable> resumesInLine = new ArrayDeque<>();
    private final LoadLanes loadLanes;
    private final OkHttpClient loadHttp;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "health-probe-scheduler");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param loadHttp  the client loads go through: a dispatcher of its own, so they never queue the probes' calls
     * @param onPublish called on the scheduler thread when a model's published health changed; must not block
     */
    ProbeSchedule(int slots, int loadLanes, OkHttpClient loadHttp, Clock clock, ProbeRunner runner,
                  Consumer<ModelProbe> onPublish, BiConsumer<ModelProbe, ModelEvent> onEvent) {
        this.loadLanes = new LoadLanes(loadLanes);
        this.loadHttp = loadHttp;
        this.onEvent = onEvent;
        this.clock = clock;
        this.runner = runner;
        this.slots = new Semaphore(slots);
        this.onPublish = onPublish;
    }

    void trafficStandsIn(BiPredicate<ModelProbe, Instant> standsIn) {
        this.trafficStandsIn = standsIn;
    }

    /** Runs {@code task} on the scheduler thread, in order; nothing once closed. */
    void execute(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: nothing more to do
        }
    }

    /** Probes the replica now (or as soon as a slot is free) and starts its ticks (scheduler thread). */
    void start(ModelProbe probe) {
        if (probe.cancelled) {
            return;
        }
        long interval = Math.max(1, probe.target.probe().interval().toMillis());
        // the jitter goes on the second probe: 1000 models tracked at once probe at once, then spread over an interval
        long second = interval / 2 + ThreadLocalRandom.current().nextLong(interval);
        probe.schedule = scheduler.scheduleAtFixedRate(() -> tick(probe), second, interval, TimeUnit.MILLISECONDS);
        tick(probe);
    }

    /** Stops the replica's ticks and removes its meters (scheduler thread). */
    void retire(ModelProbe probe) {
        if (probe.schedule != null) {
            probe.schedule.cancel(false);
        }
        probe.removeMeters();
    }

    /** A scheduled probe time of one model (scheduler thread). */
    private void tick(ModelProbe probe) {
        try {
            if (probe.cancelled || probe.inFlight || trafficStandsIn.test(probe, clock.instant())) {
                return;
            }
            boolean first = !probe.started;
            // cycles back from a load go first, then first probes: a later tick only takes a slot nobody waits for
            if (!resumesInLine.isEmpty() || (!first && !firstInLine.isEmpty()) || !slots.tryAcquire()) {
                if (first && !probe.inLine) {
                    probe.inLine = true;
                    firstInLine.add(probe);
                }
                return;
            }
            probeHolding(probe);
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again: keep the model's schedule alive
            LOG.error("probe tick failed for {}", probe.id, e);
        }
    }

    /**
     * Runs a cycle of {@code probe} with the slot just taken, or gives the slot back when its circuit refuses the
     * probe (scheduler thread). The cycle gives its slot back on whatever thread completes it; only the scheduler
     * takes slots, and {@link #startWaiting} takes one before it picks a waiter, so a slot freed meanwhile is never
     * seen as one a waiter could not take.
     */
    private void probeHolding(ModelProbe probe) {
        if (!probe.circuit.tryAcquire()) {
            slots.release();
            return;
        }
        // asking for permission may have turned Open into HalfOpen: say so before the trial probe runs
        publishIf(probe, probe.publishTransition(clock.instant()));
        probe.inFlight = true;
        probe.started = true;
        ModelProbe.Resolved t = probe.target;
        CompletableFuture<ProbeCycle> cycle;
        try {
            cycle = runner.cycle(probe.client, t.model(), t.probe(), t.keepAlive(), loadTurn(probe));
        } catch (RuntimeException e) {
            probe.inFlight = false;
            slots.release();
            LOG.error("probe cycle could not start for {}", probe.id, e);
            return;
        }
        cycle.whenComplete((done, error) -> {
            // given back at once, not after the scheduler's queue: at N = 10 000 that wait held every slot longer
            slots.release();
            ProbeCycle c = done != null ? done : new ProbeCycle(java.util.Optional.empty(), false,
                    java.util.Optional.empty(), ProbeClassifier.classify(error, Duration.ZERO));
            execute(() -> finish(probe, c));
        });
    }

    /**
     * The load of {@code probe}'s cycle: called with the cycle's slot held; gives it back, waits for a lane, loads,
     * and completes once the cycle holds a slot again.
     */
    private LoadTurn loadTurn(ModelProbe probe) {
        return load -> {
            CompletableFuture<ProbeCycle.Load> loaded = new CompletableFuture<>();
            execute(() -> {
                slots.release();
                startWaiting();
                loadLanes.run(() -> {
                    // a load can take minutes: status says Loading meanwhile (the reconcile reads it when told)
                    probe.loadStarted(clock.instant());
                    onPublish.accept(probe);
                    load.apply(probe.client.through(loadHttp)).whenComplete((result, error) -> execute(() -> {
                        loadLanes.done();
                        withSlot(() -> {
                            if (error != null) {
                                loaded.completeExceptionally(error);
                            } else {
                                loaded.complete(result);
                            }
                        });
                    }));
                });
            });
            return loaded;
        };
    }

    /** Runs {@code resume} holding a slot, at once or as the first of the cycles waiting for one (scheduler thread). */
    private void withSlot(Runnable resume) {
        if (resumesInLine.isEmpty() && slots.tryAcquire()) {
            resume.run();
        } else {
            resumesInLine.add(resume);
        }
    }

    /** A cycle's outcome arrives (scheduler thread); its slot is free again for whoever waits for one. */
    private void finish(ModelProbe probe, ProbeCycle cycle) {
        ProbeResult result = cycle.probe();
        probe.inFlight = false;
        startWaiting();
        if (probe.cancelled) {
            return;
        }
        if (result.isFailure() && LOG.isDebugEnabled()) {
            try (var ignored = LogContext.of(probe.id.getNamespace().orElse(""), probe.id.getName(),
                    probe.target.model())) {
                LOG.debug("probe {}: {}", result.outcome(), result.error());
            }
        }
        publishIf(probe, probe.record(cycle, clock.instant(), event -> onEvent.accept(probe, event)));
    }

    /**
     * Free slots go to the cycles back from a load, then to first probes in line (scheduler thread). Each turn takes
     * a slot and hands it to one waiting entry, so the loop ends when the slots or the waiting run out.
     */
    private void startWaiting() {
        while (!(resumesInLine.isEmpty() && firstInLine.isEmpty()) && slots.tryAcquire()) {
            Runnable resume = resumesInLine.poll();
            if (resume != null) {
                resume.run();
                continue;
            }
            ModelProbe next = firstInLine.poll();
            next.inLine = false;
            if (next.started || next.cancelled || trafficStandsIn.test(next, clock.instant())) {
                slots.release();
            } else {
                probeHolding(next);
            }
        }
    }

    private void publishIf(ModelProbe probe, boolean changed) {
        if (changed) {
            onPublish.accept(probe);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
