package io.localmodels.operator.pull;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Tells owners that their pull state moved: progress at most once per period per owner (each call leads to a
 * status write), terminal transitions at once.
 */
final class ProgressNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressNotifier.class);

    private final Consumer<ResourceID> listener;
    private final Duration period;
    private final Clock clock;
    private final Map<ResourceID, Instant> lastNotified = new ConcurrentHashMap<>();

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
            deliver(owner);
        }
    }

    /** A terminal transition (present, failed): always notify. */
    void terminal(ResourceID owner) {
        lastNotified.put(owner, clock.instant());
        deliver(owner);
    }

    void forget(ResourceID owner) {
        lastNotified.remove(owner);
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
