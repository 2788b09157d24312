package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitState;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Whether a replica's scheduled probe is needed, or its users' requests already said what the probe would: enough
 * successes in the last status period stand in for a successful probe (the period counts once in the circuit), failures
 * at the circuit's threshold rate for failed ones (each failed request counts, up to the failures in a row that open
 * the circuit: a busy model that breaks is out of routing after one or two readings). Probes go on while the circuit is not
 * Closed, before the replica's first probe, without fresh readings, and for a failing model of several replicas
 * (its Service mixes them: only probes tell which one fails). Scheduler thread only.
 */
final class TrafficJudge {

    /** Which signal decided; shown as {@code status.health.decidedBy}. */
    static final String PROBE = "probe";
    static final String TRAFFIC = "traffic";

    enum Verdict { PROBE, HEALTHY, FAILING }

    private final TrafficSource source;
    private final Duration freshFor;
    private final Consumer<ModelProbe> onPublish;

    /** @param freshFor how old a reading may be and still decide (two status periods: one late reading is tolerated) */
    TrafficJudge(TrafficSource source, Duration freshFor, Consumer<ModelProbe> onPublish) {
        this.source = source;
        this.freshFor = freshFor;
        this.onPublish = onPublish;
    }

    /** What the evidence says for a replica in {@code state}; pure. */
    static Verdict verdict(TrafficEvidence e, CircuitSettings circuit, CircuitState state, boolean probedBefore,
                           Instant now, Duration freshFor) {
        if (e == null || e.stale() || state != CircuitState.CLOSED || !probedBefore
                || Duration.between(e.observedAt(), now).compareTo(freshFor) > 0
                || e.judged() < circuit.minimumRequests()) {
            return Verdict.PROBE;
        }
        return e.backendFailures() * 100.0 / e.judged() >= circuit.failureRateThreshold()
                ? Verdict.FAILING : Verdict.HEALTHY;
    }

    /**
     * Returns true when traffic decides this tick and no probe is sent; records a new reading in the replica's
     * circuit first. {@code replicas} counts the model's replicas.
     */
    boolean standsIn(ModelProbe probe, IntSupplier replicas, Instant now) {
        if (!take(probe, replicas, now, false)) {
            return false;
        }
        probe.skipped();
        return true;
    }

    /**
     * A new reading arrived: a failing one counts in the circuit now, not at the replica's next probe tick (up to
     * an interval later), so a busy model that breaks leaves routing one reading after its users saw it fail.
     * Nothing else: a healthy reading waits for the tick it stands in for.
     */
    void arrived(ModelProbe probe, IntSupplier replicas, Instant now) {
        take(probe, replicas, now, true);
    }

    /**
     * Records the latest reading in the circuit once (with {@code failingOnly}, only a failing one); returns whether
     * traffic decides for this replica now.
     */
    private boolean take(ModelProbe probe, IntSupplier replicas, Instant now, boolean failingOnly) {
        TrafficEvidence e = source.latest(probe.id).orElse(null);
        Verdict v = verdict(e, probe.target.circuit(), probe.circuit.state(), probe.window().probes() > 0, now, freshFor);
        if (v == Verdict.PROBE || (v == Verdict.FAILING && replicas.getAsInt() > 1)
                || (failingOnly && v != Verdict.FAILING)) {
            return false;
        }
        if (probe.newTraffic(e.sequence())) {
            if (probe.recordTraffic(v == Verdict.FAILING, e.backendFailures(), now)) {
                onPublish.accept(probe);
            }
        }
        return true;
    }
}
