package io.localmodels.operator.model;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.Phase;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The steps of each model's way up to Ready, as the reconciles saw them (also those a coalesced status write never
 * showed), so that becoming Ready is told in one Event instead of one per step. Held only while a model is on its
 * way up; thread-safe.
 */
final class BringUp {

    private static final int MAX_STEPS = 16;

    private record Step(String phase, Instant since, List<String> notes) {
    }

    private final Map<ResourceID, List<Step>> journeys = new ConcurrentHashMap<>();

    /**
     * A reconcile decided {@code phase}: a new step when it differs from the last one. Ready ends the journey only
     * when status already says Ready (a step that was never written, e.g. while a restarted operator looks again);
     * otherwise the write of Ready tells it, see {@link #finish}.
     */
    void saw(ResourceID id, String phase, Instant now, boolean readyInStatus) {
        if (Phase.READY.value().equals(phase)) {
            if (readyInStatus) {
                journeys.remove(id);
            }
            return;
        }
        journeys.compute(id, (k, steps) -> {
            List<String> notes = new ArrayList<>();
            List<Step> out = steps == null ? new ArrayList<>() : steps;
            if (out.isEmpty() || !out.get(out.size() - 1).phase().equals(phase)) {
                if (out.size() == MAX_STEPS) {
                    out.remove(1); // a model that flaps for long: keep the first step and the latest ones
                }
                out.add(new Step(phase, now, notes));
            }
            return out;
        });
    }

    /** Something worth telling about the current step (a load and how long it took). */
    void note(ResourceID id, String text) {
        journeys.computeIfPresent(id, (k, steps) -> {
            steps.get(steps.size() - 1).notes().add(text);
            return steps;
        });
    }

    /**
     * The model is Ready: its steps with how long each took, e.g. {@code Pending 2 s → Pulling 31 s → Loading 4 s
     * (qwen3:0.6b loaded in 3.1 s)}; empty when this operator saw none. Forgets the journey.
     */
    String finish(ResourceID id, Instant now) {
        List<Step> steps = journeys.remove(id);
        if (steps == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Instant end = i + 1 < steps.size() ? steps.get(i + 1).since() : now;
            String text = step.phase() + " " + seconds(Duration.between(step.since(), end));
            if (!step.notes().isEmpty()) {
                text += " (" + String.join(", ", step.notes()) + ")";
            }
            out.add(text);
        }
        return out.stream().collect(Collectors.joining(" → "));
    }

    void forget(ResourceID id) {
        journeys.remove(id);
    }

    static String seconds(Duration d) {
        return Math.max(0, d.toSeconds()) + " s";
    }
}
