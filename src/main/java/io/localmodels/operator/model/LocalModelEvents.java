package io.localmodels.operator.model;

import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.health.CircuitTransition;
import io.localmodels.operator.health.ModelEvent;
import io.localmodels.operator.status.Conditions;
import io.localmodels.operator.status.EventRecorder;

/** The Kubernetes Events of a LocalModel: one per phase change and one per circuit transition, warnings for bad news. */
final class LocalModelEvents {

    static final String CIRCUIT_OPENED = "CircuitOpened";
    static final String CIRCUIT_CHANGED = "CircuitChanged";

    private LocalModelEvents() {
    }

    /** After a status write: the phase Event and the GPU-offload Event, each when it changed. */
    static void written(EventRecorder events, LocalModel lm, LocalModelStatus before, LocalModelStatus after) {
        phase(events, lm, before, after);
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

    /** After a status write: an Event named after the new phase, when the phase changed. */
    static void phase(EventRecorder events, LocalModel lm, LocalModelStatus before, LocalModelStatus after) {
        String from = before == null ? null : before.getPhase();
        if (after.getPhase().equals(from)) {
            return;
        }
        String why = Conditions.find(after.getConditions(), LocalModelStatusFactory.READY)
                .map(c -> c.getMessage() == null || c.getMessage().isEmpty() ? c.getReason() : c.getMessage())
                .orElse("");
        String text = "phase " + (from == null ? "(none)" : from) + " → " + after.getPhase() + (why.isEmpty() ? "" : ": " + why);
        if (Phase.of(after.getPhase()).map(Phase::isWarning).orElse(false)) {
            events.warning(lm, after.getPhase(), text);
        } else {
            events.normal(lm, after.getPhase(), text);
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

    /** Loads, failed loads and reloads, as the probe cycles saw them. */
    static void model(EventRecorder events, LocalModel lm, ModelEvent event) {
        if (event.kind().warning()) {
            events.warning(lm, event.kind().name(), event.message());
        } else {
            events.normal(lm, event.kind().name(), event.message());
        }
    }
}
