package io.localmodels.operator.model;

import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.api.ModelDetails;
import io.localmodels.operator.api.PullStatus;
import io.localmodels.operator.health.ModelMemory;
import io.localmodels.operator.health.PublishedHealth;
import io.localmodels.operator.pull.PullState;
import io.localmodels.operator.status.Conditions;

import io.localmodels.operator.status.StatusWriter;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides a LocalModel's status from what a reconcile observed: the one place that sets its phase and conditions.
 * Pure apart from the clock, so each rule has a unit test.
 */
public final class LocalModelStatusFactory {

    public static final String SPEC_VALID = "SpecValid";
    public static final String SCHEDULED = "Scheduled";
    public static final String MODEL_PULLED = "ModelPulled";
    public static final String HEALTHY = "Healthy";
    public static final String READY = "Ready";
    public static final String MODEL_LOADED = "ModelLoaded";
    public static final String FULLY_ON_GPU = "FullyOnGpu";

    private final Clock clock;

    public LocalModelStatusFactory(Clock clock) {
        this.clock = clock;
    }

    public LocalModelStatus build(ModelObservation seen) {
        var lm = seen.resource();
        LocalModelStatus previous = lm.getStatus();
        long generation = lm.getMetadata().getGeneration() == null ? 0 : lm.getMetadata().getGeneration();
        Conditions conditions = new Conditions(previous == null ? null : previous.getConditions(), generation, clock);
        LocalModelStatus status = new LocalModelStatus();
        status.setObservedGeneration(generation);

        if (!seen.problems().isEmpty()) {
            String message = String.join("; ", seen.problems());
            conditions.set(SPEC_VALID, false, "InvalidSpec", message);
            conditions.set(READY, false, "InvalidSpec", "the spec is invalid; existing objects are left as they were");
            status.setPhase(Phase.FAILED.value());
            // keep what is known about the running model: an invalid edit must not erase it
            if (previous != null) {
                status.setEndpoint(previous.getEndpoint());
                status.setModel(previous.getModel());
            }
            status.setConditions(conditions.build());
            return status;
        }
        conditions.set(SPEC_VALID, true, "Valid", "");

        int up = seen.up();
        int ready = seen.ready();
        status.setEndpoint(seen.endpoint());
        status.setReplicas(seen.desired());
        status.setReadyReplicas(ready);
        status.setReady(ready + "/" + seen.desired());

        Optional<ReplicaObservation.Trouble> failure = seen.replicas().failure();
        Optional<ReplicaObservation.Trouble> unschedulable = seen.replicas().unschedulable();
        Optional<ReplicaObservation.Trouble> notCreated = seen.replicas().notCreated();
        if (!seen.external()) {
            // a pod that was never created cannot be scheduled either: that comes first
            notCreated.ifPresentOrElse(t -> conditions.set(SCHEDULED, false, t.reason(), t.message()),
                    () -> unschedulable.ifPresentOrElse(
                            t -> conditions.set(SCHEDULED, false, t.reason(), "pod " + t.pod() + ": " + t.message()),
                            () -> conditions.set(SCHEDULED, true, "PodsScheduled", "")));
        }

        PullSummary pull = PullSummary.of(seen.pulls());
        status.setPull(pull.status());
        status.setModel(withMemory(withInspected(pull.details(), seen.inspected().or(() -> Optional.ofNullable(
                previous == null ? null : previous.getModel()))), seen.memory(), previous));
        Optional<ModelMemory> memory = seen.memory().filter(m -> pull.anyPresent());
        memory.ifPresent(m -> loadedCondition(conditions, m));
        memory.ifPresent(m -> offloadCondition(conditions, seen, m));
        if (up == 0) {
            conditions.set(MODEL_PULLED, Conditions.UNKNOWN, "WaitingForServer",
                    seen.external() ? "the Ollama server at " + seen.endpoint() + " does not answer" : "no replica is ready yet");
        } else {
            conditions.set(MODEL_PULLED, pull.allPresent(), pull.reason(), pull.message());
        }

        Optional<PublishedHealth> health = seen.health().filter(h -> pull.anyPresent());
        health.ifPresentOrElse(h -> {
            status.setHealth(h.health());
            conditions.set(HEALTHY, h.healthy(), h.reason(), h.message());
        }, () -> conditions.set(HEALTHY, Conditions.UNKNOWN, "AwaitingProbe", "no inference probe has run yet"));

        CircuitState circuit = health.map(PublishedHealth::circuit).orElse(null);
        Phase phase;
        String reason;
        String message;
        if (failure.isPresent()) {
            phase = Phase.FAILED;
            reason = failure.get().reason();
            message = "pod " + failure.get().pod() + ": " + failure.get().message();
        } else if (up == 0 && notCreated.isPresent()) {
            // rejected by admission (RuntimeClass, quota, LimitRange, Pod Security): only a change makes it pass
            phase = Phase.FAILED;
            reason = notCreated.get().reason();
            message = notCreated.get().message();
        } else if (up == 0 && unschedulable.isPresent()) {
            phase = Phase.SCHEDULING;
            reason = unschedulable.get().reason();
            message = "pod " + unschedulable.get().pod() + ": " + unschedulable.get().message();
        } else if (up == 0) {
            phase = Phase.PENDING;
            reason = seen.external() ? "ServerUnreachable" : "WaitingForReplicas";
            message = seen.external() ? "the Ollama server at " + seen.endpoint() + " does not answer"
                    : "waiting for an Ollama replica to become ready";
        } else if (!pull.allPresent() && (seen.external() || ready == 0)) {
            // a replica that pulls while another serves makes the model Degraded, not Pulling: it stays routed
            phase = Phase.PULLING;
            reason = pull.reason();
            message = pull.message();
        } else if (memory.map(ModelMemory::loading).orElse(false)) {
            phase = Phase.LOADING;
            reason = "LoadingModel";
            message = loadingMessage(memory.get());
        } else if (health.isEmpty()) {
            phase = Phase.LOADING;
            reason = "AwaitingProbe";
            message = "the model is on disk; waiting for the first inference probe";
        } else if (circuit == CircuitState.OPEN) {
            phase = Phase.UNAVAILABLE;
            reason = "CircuitOpen";
            message = health.get().message();
        } else if (circuit == CircuitState.HALF_OPEN || !health.get().healthy() || ready < seen.desired()) {
            phase = Phase.DEGRADED;
            if (ready < seen.desired() && health.get().healthy()) {
                // another replica serves: keep routing to it, and say why the rest is missing
                reason = notCreated.map(ReplicaObservation.Trouble::reason).orElse("ReplicasNotReady");
                message = ready + " of " + seen.desired() + " replicas are ready"
                        + notCreated.map(t -> ": " + t.message()).orElse(notReady(seen));
            } else {
                reason = health.get().reason(); // CircuitHalfOpen, ProbesFailing, …
                message = health.get().message();
            }
        } else {
            phase = Phase.READY;
            reason = "ServingTraffic";
            message = "";
        }
        status.setPhase(phase.value());
        boolean serving = phase.isServing();
        conditions.set(READY, serving, serving ? "ServingTraffic" : reason, message);
        status.setConditions(conditions.build());
        return status;
    }

    /** The steps on the way up, in their order; a step forward among them is routine progress. */
    private static final List<Phase> WAY_UP = List.of(Phase.PENDING, Phase.PULLING, Phase.LOADING);

    /**
     * When a LocalModel's status is written: a change waits {@link StatusWriter#COALESCE} for the ones that follow
     * it; a step forward on the way up (Pending → Pulling → Loading) waits {@code step} (the pull-progress period),
     * so that a step shorter than that is never written and a model that loads in a few seconds goes from its first
     * status to Ready in two writes (issue 13). Steps back, failures, scheduling trouble, Ready and everything
     * after it keep the second's coalescing; a step held is written with whatever the status is when it is due.
     */
    static StatusWriter.Pacing<LocalModelStatus> pacing(Duration step) {
        return (before, after, pending, last) -> pending.plus(forwardOnTheWayUp(before, after) ? step
                : StatusWriter.COALESCE);
    }

    static boolean forwardOnTheWayUp(LocalModelStatus before, LocalModelStatus after) {
        if (before == null) {
            return false;
        }
        int from = Phase.of(before.getPhase()).map(WAY_UP::indexOf).orElse(-1);
        int to = Phase.of(after.getPhase()).map(WAY_UP::indexOf).orElse(-1);
        return from >= 0 && to > from;
    }

    /** "; m-1: CircuitOpen (…)" for each replica whose gate is shut, so the message says which and why. */
    private static String notReady(ModelObservation seen) {
        String why = seen.gates().entrySet().stream().filter(e -> !e.getValue().ready())
                .map(e -> e.getKey() + ": " + e.getValue().reason() + " (" + e.getValue().message() + ")")
                .collect(Collectors.joining("; "));
        return why.isEmpty() ? "" : "; " + why;
    }

    private String loadingMessage(ModelMemory m) {
        long seconds = java.time.Duration.between(m.loadingSince(), clock.instant()).toSeconds();
        return "loading the model into memory since " + m.loadingSince().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + " (" + seconds + " s); probes wait until it is loaded";
    }

    /**
     * Whether the model is in memory: a load under way says since when; a finished one, how long it took. Before
     * the probe cycles have looked (a restarted operator) the condition stays as it was, as status.model does, and
     * so it does when they found the model in memory and status already said it was loaded.
     */
    private void loadedCondition(Conditions conditions, ModelMemory m) {
        if (m.loading()) {
            conditions.set(MODEL_LOADED, false, "LoadingModel", loadingMessage(m));
        } else if (m.lastLoadSeconds() != null) {
            conditions.set(MODEL_LOADED, true, "Loaded", "the last load took " + m.lastLoadSeconds() + " s");
        } else if (m.vramShare() != null && conditions.had(MODEL_LOADED, Conditions.TRUE)) {
            conditions.keep(MODEL_LOADED); // a restarted operator found it in memory: what status said still holds
        } else if (m.vramShare() != null) {
            conditions.set(MODEL_LOADED, true, "Loaded", "the model was in memory when the operator first looked");
        } else {
            conditions.keep(MODEL_LOADED);
        }
    }

    /**
     * A GPU model partly run by the CPU is the commonest "Ollama is slow": say how much, and what helps. Only for
     * {@code gpu.count > 0}; a CPU model is all on the CPU by design.
     */
    private static void offloadCondition(Conditions conditions, ModelObservation seen, ModelMemory m) {
        var gpu = seen.resource().getSpec().getGpu();
        if (gpu == null || gpu.getCount() == null || gpu.getCount() <= 0 || m.vramPercent() == null) {
            return;
        }
        int onGpu = m.vramPercent();
        if (onGpu >= 100) {
            conditions.set(FULLY_ON_GPU, true, "InVram", "the whole loaded model is in VRAM");
        } else {
            conditions.set(FULLY_ON_GPU, false, "PartlyOnCpu", (100 - onGpu) + " % of the loaded model runs on the CPU ("
                    + onGpu + " % in VRAM), which makes it several times slower: lower spec.ollama.contextLength or "
                    + "spec.ollama.numParallel, use a GPU with more memory (or gpu.count > 1), or a smaller quantization");
        }
    }

    /** The probe cycles' view of the model in memory; kept from the last status until they have looked. */
    private static ModelDetails withMemory(ModelDetails details, Optional<ModelMemory> memory, LocalModelStatus previous) {
        if (details == null) {
            return null;
        }
        ModelDetails before = previous == null ? null : previous.getModel();
        Integer vram = memory.map(ModelMemory::vramPercent).orElse(before == null ? null : before.getVramPercent());
        Double lastLoad = memory.map(ModelMemory::lastLoadSeconds).orElse(before == null ? null : before.getLastLoadSeconds());
        Integer reloads = memory.map(ModelMemory::reloads).filter(r -> r > 0)
                .orElse(before == null ? null : before.getReloads());
        details.setVramPercent(vram);
        details.setLastLoadSeconds(lastLoad);
        details.setReloads(reloads);
        // the runner's figures from the probe cycles' /api/ps; until they are known, what status said (a restarted
        // operator must not flip the runner's context back to the trained one /api/show gives)
        details.setVramBytes(memory.map(ModelMemory::vramBytes).orElse(before == null ? null : before.getVramBytes()));
        memory.map(ModelMemory::contextLength).or(() -> Optional.ofNullable(before == null ? null : before.getContextLength()))
                .ifPresent(details::setContextLength);
        return details;
    }

    /** Digest and size come from the pull; what Ollama reports about the model, from the inspector. */
    private static ModelDetails withInspected(ModelDetails pulled, Optional<ModelDetails> inspected) {
        if (pulled == null || inspected.isEmpty()) {
            return pulled;
        }
        ModelDetails known = inspected.get();
        pulled.setOllamaVersion(known.getOllamaVersion());
        pulled.setCapabilities(known.getCapabilities());
        pulled.setContextLength(known.getContextLength());
        return pulled;
    }

    /** The pull states of all ready replicas, folded into one status and one condition. */
    record PullSummary(PullStatus status, ModelDetails details, boolean allPresent, boolean anyPresent, String reason,
                       String message) {

        static PullSummary of(Map<String, PullState> pulls) {
            if (pulls.isEmpty()) {
                return new PullSummary(null, null, false, false, "WaitingForServer", "no replica is ready yet");
            }
            long present = pulls.values().stream().filter(s -> s instanceof PullState.Present).count();
            var failed = pulls.entrySet().stream().filter(e -> e.getValue() instanceof PullState.Failed).findFirst();
            PullStatus status = new PullStatus();
            ModelDetails details = null;
            if (present == pulls.size()) {
                PullState.Present p = (PullState.Present) pulls.values().iterator().next();
                status.setProgressPercent(100);
                status.setCompletedBytes(p.sizeBytes());
                status.setTotalBytes(p.sizeBytes());
                status.setMessage("success");
                details = new ModelDetails();
                details.setDigest(p.digest());
                details.setSizeBytes(p.sizeBytes());
                return new PullSummary(status, details, true, true, "PullSucceeded", "");
            }
            long completed = 0;
            long total = 0;
            int percent = 100;
            String line = "checking whether the model is on the server";
            for (PullState s : pulls.values()) {
                if (s instanceof PullState.Pulling p) {
                    completed += p.completedBytes();
                    total += p.totalBytes();
                    percent = Math.min(percent, p.percent());
                    line = p.message();
                } else if (!(s instanceof PullState.Present)) {
                    percent = Math.min(percent, 0);
                }
            }
            status.setProgressPercent(percent);
            status.setCompletedBytes(completed);
            status.setTotalBytes(total);
            if (failed.isPresent()) {
                PullState.Failed f = (PullState.Failed) failed.get().getValue();
                status.setMessage(f.message());
                status.setAttempts(f.attempts());
                return new PullSummary(status, null, false, present > 0, "PullFailed",
                        "on " + failed.get().getKey() + ": " + f.message() + " (attempt " + f.attempts()
                                + ", next at " + f.retryAt() + ")");
            }
            status.setMessage(line);
            String where = pulls.entrySet().stream().filter(e -> !(e.getValue() instanceof PullState.Present))
                    .map(Map.Entry::getKey).sorted().collect(Collectors.joining(", "));
            return new PullSummary(status, null, false, present > 0, "Pulling",
                    "pulling on " + where + ": " + percent + "% (" + line + ")");
        }
    }
}
