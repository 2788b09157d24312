package io.localmodels.operator.router;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one config rollout per router per interval, so a flapping model does not roll the proxy on every flip.
 * Remembered in memory: after an operator restart the first change rolls at once. Thread-safe.
 */
final class RolloutDamper {

    private final Map<ResourceID, Instant> lastRollout = new ConcurrentHashMap<>();
    private final Duration interval;
    private final Clock clock;

    RolloutDamper(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** When the next rollout of this router may happen, if that is still in the future. */
    Optional<Instant> deferredUntil(ResourceID router) {
        Instant now = clock.instant();
        forgetOlderThan(now.minus(interval));
        Instant last = lastRollout.get(router);
        if (last == null) {
            return Optional.empty();
        }
        Instant next = last.plus(interval);
        return next.isAfter(now) ? Optional.of(next) : Optional.empty();
    }

    void rolledOut(ResourceID router) {
        lastRollout.put(router, clock.instant());
    }

    void forget(ResourceID router) {
        lastRollout.remove(router);
    }

    Duration until(Instant when) {
        Duration d = Duration.between(clock.instant(), when);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Entries past the interval no longer defer anything; dropping them also forgets deleted routers. */
    private void forgetOlderThan(Instant cutoff) {
        lastRollout.values().removeIf(t -> !t.isAfter(cutoff));
    }
}
