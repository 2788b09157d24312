package io.localmodels.operator.health;

import io.localmodels.operator.status.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
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
 * When probes run: each replica of each model on its interval, from a random first offset, with at most
 * {@code slots} probes in flight over all of them. One scheduler thread owns all per-replica state; probes run asynchronously on okhttp's
 * dispatcher and hand their result back to that thread. A model whose tick finds no free slot, or whose previous
 * probe is still running, waits for its next tick.
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
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "health-probe-scheduler");
        t.setDaemon(true);
        return t;
    });

    /** @param onPublish called on the scheduler thread when a model's published health changed; must not block */
    ProbeSchedule(int slots, Clock clock, ProbeRunner runner, Consumer<ModelProbe> onPublish,
                  BiConsumer<ModelProbe, ModelEvent> onEvent) {
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

    /** Starts the replica's ticks (scheduler thread); its meters register on first use. */
    void start(ModelProbe probe) {
        if (probe.cancelled) {
            return;
        }
        long interval = probe.target.probe().interval().toMillis();
        // a random first offset spreads 1000 models over the interval instead of firing them together
        long offset = ThreadLocalRandom.current().nextLong(interval);
        probe.schedule = scheduler.scheduleAtFixedRate(() -> tick(probe), offset, interval, TimeUnit.MILLISECONDS);
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
            if (probe.cancelled || probe.inFlight || trafficStandsIn.test(probe, clock.instant())
                    || !slots.tryAcquire()) {
                return;
            }
            if (!probe.circuit.tryAcquire()) {
                slots.release();
                return;
            }
            // asking for permission may have turned Open into HalfOpen: say so before the trial probe runs
            publishIf(probe, probe.publishIfDue(clock.instant()));
            probe.inFlight = true;
            ModelProbe.Resolved t = probe.target;
            // a load can take minutes: status says Loading meanwhile (the reconcile reads it when told)
            Runnable onLoadStart = () -> execute(() -> {
                probe.loadStarted(clock.instant());
                onPublish.accept(probe);
            });
            runner.cycle(probe.client, t.model(), t.probe(), t.keepAlive(), onLoadStart).whenComplete((cycle, error) -> {
                slots.release();
                ProbeCycle c = cycle != null ? cycle : new ProbeCycle(java.util.Optional.empty(), false,
                        java.util.Optional.empty(), ProbeClassifier.classify(error, Duration.ZERO));
                execute(() -> finish(probe, c));
            });
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again: keep the model's schedule alive
            LOG.error("probe tick failed for {}", probe.id, e);
        }
    }

    /** A cycle's outcome arrives (scheduler thread). */
    private void finish(ModelProbe probe, ProbeCycle cycle) {
        ProbeResult result = cycle.probe();
        probe.inFlight = false;
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
