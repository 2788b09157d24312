package io.localmodels.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.ollama.OllamaClient;
import io.localmodels.operator.ollama.PsResponse;

import java.time.Duration;
import java.time.Instant;
import io.localmodels.operator.config.Durations;

import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * One replica of a tracked model, probed at its own address: records each probe result into its window, breaker and
 * meters, and decides when its health is published — at once when the circuit or {@code healthy} changes, otherwise
 * once per status period when it probed meanwhile; {@link ModelHealth} adds the replicas up and decides what of that
 * is worth a status write. Mutated on the scheduler thread only; the volatile fields are the ones other threads read
 * ({@code published()}, {@code memory()}, the debug view).
 */
final class ModelProbe {

    /** What a target resolves to; equal values mean "nothing to re-schedule". */
    record Resolved(String endpoint, String model, ProbeSettings probe, CircuitSettings circuit, String keepAlive) {

        Settings settings() {
            return new Settings(model, probe, circuit, keepAlive);
        }
    }

    /** What every replica of a model shares; a change means all of them start afresh. */
    record Settings(String model, ProbeSettings probe, CircuitSettings circuit, String keepAlive) {
    }

    /**
     * A probe answer whose {@code load_duration} exceeds this was loaded by that very request: the model had been
     * unloaded since the last cycle saw it (Ollama reports a few milliseconds for a model that is in memory).
     */
    static final Duration RELOADED_BY_REQUEST = Duration.ofSeconds(1);

    final ResourceID id;
    /** The pod's name, or {@link ProbeTarget#SERVER}. */
    final String replica;
    final Resolved target;
    final OllamaClient client;
    final ModelCircuit circuit;
    private final HealthWindow window;
    private final ProbeMetrics metrics;
    private final Duration statusPeriod;

    volatile boolean cancelled;
    volatile boolean inFlight;
    /** Whether its first probe has begun, and whether it waits in line for a slot to begin it (scheduler thread). */
    boolean started;
    boolean inLine;
    ScheduledFuture<?> schedule;
    private volatile PublishedHealth published;
    private volatile Instant lastPublishTime;
    private volatile ModelMemory memory = ModelMemory.UNKNOWN;
    /** The window's probes as of the last one, for pages read on other threads (the window itself is not safe). */
    private volatile List<HealthWindow.Point> recent = List.of();
    /** When its last probe ended (a Busy one included): live, where status may be older (for /debug/models). */
    private volatile Instant lastProbed;
    /** Whether the last {@link #publishIfDue} published a transition (circuit, healthy, Busy begun or ended). */
    private boolean transitioned;
    /** The last Busy result while it is within its grace: shown as lastResult, kept out of window and breaker. */
    private ProbeResult busy;
    private Instant busySince;
    private Instant lastSeenInMemory;
    /** The last traffic reading this replica's circuit took, so that each counts once. */
    private long trafficSequence = -1;
    /** Which signal decided last: {@link TrafficJudge#PROBE} or {@link TrafficJudge#TRAFFIC}. */
    private volatile String decidedBy = TrafficJudge.PROBE;

    ModelProbe(ResourceID id, String replica, Resolved target, OllamaClient client, ModelCircuit circuit,
               ProbeMetrics metrics, Duration statusPeriod) {
        this.id = id;
        this.replica = replica;
        this.target = target;
        this.client = client;
        this.window = new HealthWindow(target.probe().window());
        this.circuit = circuit;
        this.metrics = metrics;
        this.statusPeriod = statusPeriod;
    }

    void removeMeters() {
        metrics.remove();
    }

    /** The window of this replica's probes (scheduler thread). */
    HealthWindow window() {
        return window;
    }

    /** The Busy result shown as lastResult while within its grace, else null (scheduler thread). */
    ProbeResult busy() {
        return busy;
    }

    /** When the latest probe of this replica ended, a Busy one included; null before the first (any thread). */
    Instant lastActivity() {
        return lastProbed;
    }

    /** Whether this replica may serve: its circuit is closed and a probe in its window succeeded (scheduler thread). */
    boolean serving() {
        return HealthVerdict.healthy(window, circuit.state());
    }

    boolean transitioned() {
        return transitioned;
    }

    /** "qwen3:30b", or "qwen3:30b on m-1" for one pod of several, in Event texts. */
    private String who() {
        return ProbeTarget.SERVER.equals(replica) ? target.model() : target.model() + " on " + replica;
    }

    /** A load has begun (scheduler thread); status says Loading until the cycle ends. */
    void loadStarted(Instant now) {
        memory = new ModelMemory(now, memory.lastLoadSeconds(), memory.reloads(), memory.vramShare(), memory.vramBytes(),
                memory.contextLength());
    }

    ModelMemory memory() {
        return memory;
    }

    /** The window's probes, oldest first, as of the last probe (any thread). */
    List<HealthWindow.Point> recent() {
        return recent;
    }

    /**
     * Takes one cycle's outcome; returns true when the health to publish changed. {@code events} receives the news
     * worth an Event. A load is never a probe: it does not enter the window, unless it failed.
     */
    boolean record(ProbeCycle cycle, Instant now, java.util.function.Consumer<ModelEvent> events) {
        boolean memoryChanged = recordMemory(cycle, now, event -> {
            metrics.recordLoadEvent(event.kind());
            events.accept(event);
        });
        ProbeResult result = cycle.probe();
        metrics.recordGpuTime(result);
        if (result.outcome() == ProbeOutcome.Busy) {
            busySince = busySince == null ? now : busySince;
            Duration busyFor = Duration.between(busySince, now);
            if (busyFor.compareTo(target.probe().busyGrace()) < 0) {
                boolean first = busy == null;
                busy = result;
                lastProbed = now;
                metrics.record(result);
                return publishIfDue(now, first) || memoryChanged;
            }
            // busy for longer than its grace with no success in between: from now on it counts as a timeout
            result = result.as(ProbeOutcome.Timeout, "busy for " + busyFor.toSeconds() + " s without a successful probe "
                    + "(spec.probe.busyGrace " + Durations.format(target.probe().busyGrace()) + "): " + result.error());
        } else if (!result.isFailure()) {
            busySince = null;
        }
        lastProbed = now;
        boolean wasBusy = busy != null;
        busy = null;
        decidedBy = TrafficJudge.PROBE;
        window.record(result, now);
        recent = window.points();
        circuit.record(result);
        metrics.record(result);
        return publishIfDue(now, wasBusy) || memoryChanged;
    }

    /** Whether {@code sequence} is a traffic reading this replica has not counted yet. */
    boolean newTraffic(long sequence) {
        return sequence != trafficSequence;
    }

    /**
     * One period of users' requests stood in for a probe (see {@link TrafficJudge}): counts once in the circuit, not
     * in the probe window, whose figures stay the probes' own. Returns true when the health to publish changed.
     */
    boolean recordTraffic(boolean failed, long backendFailures, Instant now) {
        decidedBy = TrafficJudge.TRAFFIC;
        circuit.recordTraffic(failed, backendFailures);
        return publishIfDue(now, false); // a reading is a result, as a probe's is: the period's publish may carry it
    }

    /** A scheduled probe was not sent: traffic said it. */
    void skipped() {
        decidedBy = TrafficJudge.TRAFFIC;
        metrics.recordSkip();
    }

    String decidedBy() {
        return decidedBy;
    }

    /** Loads, reloads and VRAM share from the cycle; returns true when {@link #memory()} changed. */
    private boolean recordMemory(ProbeCycle cycle, Instant now, java.util.function.Consumer<ModelEvent> events) {
        ModelMemory before = memory;
        Double lastLoad = before.lastLoadSeconds();
        int reloads = before.reloads();
        Double share = cycle.vramShare().orElse(before.vramShare());
        // the cycle's own /api/ps listing: the first result carries them, not a later look of the inspector
        Long vramBytes = cycle.inMemory().map(PsResponse.Model::sizeVram).orElse(before.vramBytes());
        Integer context = cycle.inMemory().map(PsResponse.Model::contextLength).orElse(before.contextLength());
        String model = who();
        if (cycle.load().isPresent()) {
            ProbeCycle.Load load = cycle.load().get();
            if (load.succeeded()) {
                lastLoad = Math.round(load.took().toMillis() / 100.0) / 10.0;
                if (lastSeenInMemory != null) {
                    reloads++;
                    events.accept(new ModelEvent(ModelEvent.Kind.ModelReloaded, model + " was unloaded (evicted or its "
                            + "keep-alive expired) and is loaded again; it was out for about "
                            + Duration.between(lastSeenInMemory, now).toSeconds() + " s"));
                } else {
                    events.accept(new ModelEvent(ModelEvent.Kind.ModelLoaded, model + " loaded in " + lastLoad + " s"));
                }
                lastSeenInMemory = now;
            } else {
                events.accept(new ModelEvent(ModelEvent.Kind.ModelLoadFailed, model + ": " + load.error()));
            }
        } else if (cycle.inMemory().isPresent()) {
            Duration loadedByRequest = Duration.ofNanos(cycle.probe().timing().load());
            if (lastSeenInMemory == null && loadedByRequest.compareTo(RELOADED_BY_REQUEST) <= 0) {
                lastSeenInMemory = now; // in memory when first seen: loaded before the operator looked
            } else if (loadedByRequest.compareTo(RELOADED_BY_REQUEST) > 0 && lastSeenInMemory != null) {
                reloads++;
                lastLoad = Math.round(loadedByRequest.toMillis() / 100.0) / 10.0;
                events.accept(new ModelEvent(ModelEvent.Kind.ModelReloaded, model + " had been unloaded and was loaded "
                        + "again by a request in " + lastLoad + " s"));
            }
            lastSeenInMemory = now;
        }
        memory = new ModelMemory(null, lastLoad, reloads, share, vramBytes, context);
        return !memory.equals(before);
    }

    /**
     * Publishes a transition the breaker made when asked for a probe (Open to HalfOpen); returns true when it did.
     * Nothing else: the period's publish waits for the probe's result, so that it carries the latest probe.
     */
    boolean publishTransition(Instant now) {
        return publishIfDue(now, false, false);
    }

    /** Applies the publish rule; {@code lastResultChanged} says a Busy began or ended, which is published at once. */
    private boolean publishIfDue(Instant now, boolean lastResultChanged) {
        return publishIfDue(now, lastResultChanged, true);
    }

    private boolean publishIfDue(Instant now, boolean lastResultChanged, boolean periodic) {
        transitioned = false;
        if (window.probes() == 0) {
            return false;
        }
        CircuitState state = circuit.state();
        PublishedHealth previous = published;
        boolean transition = previous == null || previous.circuit() != state || lastResultChanged
                || previous.healthy() != HealthVerdict.healthy(window, state);
        boolean periodPassed = periodic && previous != null
                && !Duration.between(lastPublishTime, now).minus(statusPeriod).isNegative();
        if (!transition && !periodPassed) {
            return false;     // held: cheap, and the common case for 1000 models between status periods
        }
        // no materiality test here: this replica's figures feed the model's, whose rule decides what status gets
        PublishedHealth next = HealthVerdict.of(window, state, busy);
        next.health().setDecidedBy(decidedBy);
        published = next;
        lastPublishTime = now;
        transitioned = transition;
        return true;
    }

    /** The last published health; null before the first probe finished. */
    PublishedHealth published() {
        return published;
    }

    Instant lastPublishTime() {
        return lastPublishTime;
    }
}
