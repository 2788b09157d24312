package io.localmodels.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.ReplicaHealth;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One LocalModel over its replicas: what their probes add up to in {@code status.health} — success rate and
 * percentiles over all their probes, the circuit Closed while any replica's is Closed, HalfOpen when none is Closed
 * but one is HalfOpen, Open when all are Open (no replica can serve) — with a line per pod. What is published goes
 * into status, so: at once on the first result and on a transition (of the model's circuit or healthy, or of a
 * replica's circuit or readiness); otherwise at most once per status period and only for a
 * {@linkplain HealthVerdict#material material} change, or a {@linkplain HealthVerdict#latencyMoved latency move}
 * that every verdict of a whole status period showed (a single slow probe is noise); and at the latest every {@link #HEARTBEAT} (or status
 * period, when that is longer), so that {@code lastProbeTime} in status is never much older than that while probes
 * run. The gauges follow the replicas' figures whether published or not. Published and read on the scheduler
 * thread; the volatile fields are the ones other threads read.
 */
final class ModelHealth {

    /**
     * The longest a model's health goes unpublished while its replicas probe: 10 minutes, at most a tenth of a status
     * write per model per minute in a quiet fleet, whose API server other teams share (docs/reference-localmodel.md).
     */
    static final Duration HEARTBEAT = Duration.ofMinutes(10);

    final ResourceID id;
    final ModelProbe.Settings settings;
    private final ProbeMetrics gauges;
    private final Duration statusPeriod;
    /** By replica name, sorted; replaced whole when replicas come or go. */
    private volatile Map<String, ModelProbe> replicas;
    private volatile PublishedHealth published;
    private volatile double successRate = Double.NaN;
    private volatile int circuitCode;
    private Instant lastPublishTime;
    /** Whether what is published is still the status an earlier process wrote ({@link #seed}). */
    private boolean seeded;
    /** Since when every verdict's latency has been beyond the tolerance of the published one; null while not. */
    private Instant latencyMovedSince;
    private ModelMemory lastMemory = ModelMemory.UNKNOWN;

    ModelHealth(ResourceID id, ModelProbe.Settings settings, Map<String, ModelProbe> replicas, ProbeMetrics gauges,
                Duration statusPeriod) {
        this.id = id;
        this.settings = settings;
        this.replicas = replicas;
        this.gauges = gauges;
        this.statusPeriod = statusPeriod;
    }

    Map<String, ModelProbe> replicas() {
        return replicas;
    }

    void replicas(Map<String, ModelProbe> next) {
        replicas = next;
    }

    void registerGauges() {
        gauges.registerGauges(() -> successRate, () -> circuitCode, () -> latencySeconds(HealthStatus::getLatencyP50Ms),
                () -> latencySeconds(HealthStatus::getLatencyP95Ms),
                () -> Optional.ofNullable(memory().vramShare()).orElse(Double.NaN));
    }

    /** A latency of the last published health in seconds, for its gauge; NaN before the first. */
    private double latencySeconds(Function<HealthStatus, Long> millis) {
        PublishedHealth p = published;
        Long ms = p == null ? null : millis.apply(p.health());
        return ms == null ? Double.NaN : ms / 1000.0;
    }

    void removeGauges() {
        gauges.remove();
    }

    /** The last published health; null before the first probe of any replica finished. */
    PublishedHealth published() {
        return published;
    }

    /**
     * What the model's status shows from an earlier process (scheduler thread, before the first probe): published
     * as if this process had written it now, so the first results are news only by the publish rule.
     */
    void seed(PublishedHealth inStatus, Instant now) {
        if (published == null) {
            published = inStatus;
            lastPublishTime = now;
            seeded = true;
        }
    }

    /**
     * A replica published, or its memory changed (scheduler thread): applies the publish rule to the model; returns
     * true when {@link #published()} or {@link #memory()} changed.
     */
    boolean publishIfDue(Instant now, boolean replicaTransition) {
        ModelMemory memory = memory();
        boolean memoryChanged = !memory.equals(lastMemory);
        lastMemory = memory;
        PublishedHealth next = verdict(replicas.values());
        if (next == null) {
            return memoryChanged;
        }
        successRate = Optional.ofNullable(next.health().getSuccessRate()).orElse(Double.NaN);
        circuitCode = next.circuit().code();
        PublishedHealth previous = published;
        // a replica's first result after a restart is its transition from nothing, but no news against a status
        // that already shows the same line
        boolean replicaNews = replicaTransition && !(seeded && standing(previous).equals(standing(next))
                && Objects.equals(previous.health().getLastResult(), next.health().getLastResult()));
        boolean transition = previous == null || replicaNews || previous.circuit() != next.circuit()
                || previous.healthy() != next.healthy() || !standing(previous).equals(standing(next));
        if (!transition) {
            if (!HealthVerdict.latencyMoved(previous, next)) {
                latencyMovedSince = null;
            } else if (latencyMovedSince == null) {
                latencyMovedSince = now;
            }
            boolean latencyHeld = latencyMovedSince != null
                    && Duration.between(latencyMovedSince, now).compareTo(statusPeriod) >= 0;
            Duration since = Duration.between(lastPublishTime, now);
            boolean due = since.compareTo(statusPeriod) >= 0
                    && (since.compareTo(HEARTBEAT) >= 0 || latencyHeld || HealthVerdict.material(previous, next));
            if (!due) {
                return memoryChanged;
            }
        }
        published = next;
        lastPublishTime = now;
        latencyMovedSince = null;
        seeded = false;
        return true;
    }

    /**
     * What the replicas add up to: null before any was probed. Replicas not probed yet neither vote on the circuit
     * nor count in the figures; they are listed, not ready. An external model's one server gets no list.
     */
    static PublishedHealth verdict(Collection<ModelProbe> all) {
        List<ModelProbe> probed = all.stream().filter(p -> p.window().probes() > 0).toList();
        if (probed.isEmpty()) {
            return null;
        }
        // Closed < HalfOpen < Open: the model's circuit is its best replica's
        CircuitState circuit = probed.stream().map(p -> p.circuit.state())
                .min(Comparator.comparingInt(CircuitState::code)).orElseThrow();
        ModelProbe latest = probed.stream().max(Comparator.comparing(ModelProbe::lastActivity)).orElseThrow();
        PublishedHealth verdict = HealthVerdict.of(HealthWindow.merged(probed.stream().map(ModelProbe::window).toList()),
                circuit, latest.busy());
        // traffic decides for the model while it stands in for every probed replica
        verdict.health().setDecidedBy(probed.stream().allMatch(p -> TrafficJudge.TRAFFIC.equals(p.decidedBy()))
                ? TrafficJudge.TRAFFIC : TrafficJudge.PROBE);
        if (all.size() > 1 || all.stream().noneMatch(p -> ProbeTarget.SERVER.equals(p.replica))) {
            verdict.health().setReplicas(all.stream().map(ModelHealth::line).toList());
        }
        return verdict;
    }

    private static ReplicaHealth line(ModelProbe p) {
        String last = p.busy() != null ? p.busy().outcome().name()
                : p.window().last().map(r -> r.outcome().name()).orElse(null);
        return new ReplicaHealth(p.replica, p.circuit.state().value(), last, p.serving());
    }

    /** Each replica's circuit and readiness: a change there is news for the pod gates, published at once. */
    private static List<List<Object>> standing(PublishedHealth p) {
        List<ReplicaHealth> lines = p.health().getReplicas();
        return lines == null ? List.of() : lines.stream()
                .map(r -> List.<Object>of(r.getName(), r.getCircuit(), Objects.requireNonNullElse(r.getReady(), false)))
                .toList();
    }

    /**
     * The replicas' memory as one: loading while a replica loads and no other serves, the slowest last load, all
     * reloads, and the smallest share, bytes and context in VRAM.
     */
    ModelMemory memory() {
        Collection<ModelProbe> all = replicas.values();
        boolean anotherServes = all.stream().anyMatch(p -> !p.memory().loading()
                && p.published() != null && p.published().healthy());
        Instant loadingSince = anotherServes ? null : least(all, ModelMemory::loadingSince);
        Double lastLoad = all.stream().map(p -> p.memory().lastLoadSeconds()).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        int reloads = all.stream().mapToInt(p -> p.memory().reloads()).sum();
        return new ModelMemory(loadingSince, lastLoad, reloads, least(all, ModelMemory::vramShare),
                least(all, ModelMemory::vramBytes), least(all, ModelMemory::contextLength));
    }

    /** The smallest of one figure over the replicas that know it; null when none does. */
    private static <T extends Comparable<T>> T least(Collection<ModelProbe> all, Function<ModelMemory, T> figure) {
        return all.stream().map(p -> figure.apply(p.memory())).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null);
    }
}
