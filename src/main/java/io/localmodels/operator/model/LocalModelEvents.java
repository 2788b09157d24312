package io.localmodels.operator.model;

import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.health.CircuitTransition;
import io.localmodels.operator.health.ModelEvent;
import io.localmodels.operator.status.Conditions;
import io.localmodels.operator.status.EventRecorder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The Kubernetes Events of a LocalModel. The routine steps up (Pending, Pulling, Loading, a first load) get none:
 * becoming Ready gets one, with how long it took and the steps. Bad news is told as it happens: a warning phase,
 * a failed load or a reload, a circuit transition, a model partly off the GPU.
 */
final class LocalModelEvents {

    static final String CIRCUIT_OPENED = "CircuitOpened";
    static final String CIRCUIT_CHANGED = "CircuitChanged";

    private LocalModelEvents() {
    }

    /** After a status write: the phase Event and the GPU-offload Event, each when it changed. */
    static void written(EventRecorder events, LocalModel lm, LocalModelStatus before, LocalModelStatus after,
                        BringUp bringUp, Instant now) {
        phase(events, lm, before, after, bringUp, now);
        offload(events, lm, before, after);
    }

    /** When the model moves onto or off the GPU in part: the condition's own words. */
    static void offload(EventRecorder events, LocalModel lm, LocalModelStatus before, LocalModelStatus after) {
        var now = Conditions.find(after.getConditions(), LocalModelStatusFactory.FULLY_ON_GPU);
        if (now.isEmpty()) {
            return;
        }
        var was = before == null ? java.util.Optional.<io.fabric8.kubernetes.api.model.Condition>empty()
                : Conditions.find(before.getConditions(), LocalModelStatusFactory.FULLY_ON_GPU);
        if (was.isPresent() && was.get().getStatus().equals(now.get().getStatus())
                && was.get().getMessage().equals(now.get().getMessage())) {
            return;
        }
        if (Conditions.FALSE.equals(now.get().getStatus())) {
            events.warning(lm, now.get().getReason(), now.get().getMessage());
        } else if (was.isPresent()) {
            events.normal(lm, now.get().getReason(), now.get().getMessage());
        }
    }

    /**
     * After a status write: a warning when the phase is bad news; one Event when the model becomes Ready, with how
     * long it was on its way (since it was created, or since it stopped being Ready) and the steps it took.
     */
    static void phase(EventRecorder events, LocalModel lm, LocalModelStatus before, LocalModelStatus after,
                      BringUp bringUp, Instant now) {
        String from = before == null ? null : before.getPhase();
        if (after.getPhase().equals(from)) {
            return;
        }
        Optional<Phase> to = Phase.of(after.getPhase());
        if (to.map(Phase::isWarning).orElse(false)) {
            String why = Conditions.find(after.getConditions(), LocalModelStatusFactory.READY)
                    .map(c -> c.getMessage() == null || c.getMessage().isEmpty() ? c.getReason() : c.getMessage())
                    .orElse("");
            events.warning(lm, after.getPhase(), "phase " + (from == null ? "(none)" : from) + " → " + after.getPhase()
                    + (why.isEmpty() ? "" : ": " + why));
        } else if (to.equals(Optional.of(Phase.READY))) {
            String steps = bringUp.finish(ResourceID.fromResource(lm), now);
            String took = wayUpSince(lm, before).map(since -> " after " + BringUp.seconds(Duration.between(since, now)))
                    .orElse("");
            events.normal(lm, Phase.READY.value(), Phase.READY.value() + took + (steps.isEmpty() ? "" : ": " + steps));
        }
    }

    /** Since the Ready condition last went False, or since the model was created when no status said so. */
    private static Optional<Instant> wayUpSince(LocalModel lm, LocalModelStatus before) {
        Optional<String> since = before == null ? Optional.empty()
                : Conditions.find(before.getConditions(), LocalModelStatusFactory.READY)
                        .filter(c -> !Conditions.TRUE.equals(c.getStatus()))
                        .map(c -> c.getLastTransitionTime());
        try {
            return since.or(() -> Optional.ofNullable(lm.getMetadata().getCreationTimestamp())).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** On every replica's breaker transition: a warning when a circuit opens, since its replica stops serving. */
    static void circuit(EventRecorder events, LocalModel lm, CircuitTransition transition) {
        String who = transition.ofPod() ? "replica " + transition.replica() + ": circuit " : "circuit ";
        if (transition.opened()) {
            events.warning(lm, CIRCUIT_OPENED, who + transition.text() + (transition.ofPod()
                    ? ": its probes are failing; the Service stops sending it traffic, routers leave the model out "
                    + "when no replica serves" : ": probes are failing; routers leave this model out"));
        } else {
            events.normal(lm, CIRCUIT_CHANGED, who + transition.text());
        }
    }

    /** Failed loads and reloads, as the probe cycles saw them; a load is a step of the way up, told with Ready. */
    static void model(EventRecorder events, LocalModel lm, ModelEvent event, BringUp bringUp) {
        if (event.kind() == ModelEvent.Kind.ModelLoaded) {
            bringUp.note(ResourceID.fromResource(lm), event.message());
        } else if (event.kind().warning()) {
            events.warning(lm, event.kind().name(), event.message());
        } else {
            events.normal(lm, event.kind().name(), event.message());
        }
    }
}
