package io.localmodels.operator.pull;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Tells owners that their pull state moved: progress at most once per period per owner (each call leads to a
 * status write), terminal transitions at once. Progress held back inside a period is told when the period ends,
 * so the last figure always reaches status even when the stream goes quiet.
 */
final class ProgressNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressNotifier.class);

    private final Consumer<ResourceID> listener;
    private final Duration period;
    private final Clock clock;
    private final Map<ResourceID, Instant> lastNotified = new ConcurrentHashMap<>();
    private final Set<ResourceID> heldBack = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pull-progress-notices");
        t.setDaemon(true);
        return t;
    });

    ProgressNotifier(Consumer<ResourceID> listener, Duration period, Clock clock) {
        this.listener = listener;
        this.period = period;
        this.clock = clock;
    }

    /** Progress moved: notify unless this owner heard from us less than a period ago. */
    void progress(ResourceID owner) {
        Instant now = clock.instant();
        AtomicBoolean due = new AtomicBoolean();
        lastNotified.compute(owner, (id, last) -> {
            if (last == null || !now.isBefore(last.plus(period))) {
                due.set(true);
                return now;
            }
            return last;
        });
        if (due.get()) {
            heldBack.remove(owner);
            deliver(owner);
        } else if (heldBack.add(owner)) {
            long wait = Math.max(0, Duration.between(now, lastNotified.getOrDefault(owner, now).plus(period)).toMillis());
            timer.schedule(() -> endOfPeriod(owner), wait, TimeUnit.MILLISECONDS);
        }
    }

    private void endOfPeriod(ResourceID owner) {
        if (heldBack.remove(owner)) {
            lastNotified.put(owner, clock.instant());
            deliver(owner);
        }
    }

    /** A terminal transition (present, failed): always notify. */
    void terminal(ResourceID owner) {
        heldBack.remove(owner);
        lastNotified.put(owner, clock.instant());
        deliver(owner);
    }

    void forget(ResourceID owner) {
        heldBack.remove(owner);
        lastNotified.remove(owner);
    }

    void close() {
        timer.shutdownNow();
    }

    private void deliver(ResourceID owner) {
        try {
            listener.accept(owner);
        } catch (RuntimeException e) {
            // the listener only schedules a reconcile; its failure must not end the pull
            LOG.warn("pull progress listener failed for {}", owner, e);
        }
    }
}
