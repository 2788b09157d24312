package io.localmodels.operator.model;

import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.health.CircuitTransition;
import io.localmodels.operator.status.Conditions;
import io.localmodels.operator.status.EventRecorder;

/** The Kubernetes Events of a LocalModel: one per phase change and one per circuit transition, warnings for bad news. */
final class LocalModelEvents {

    static final String CIRCUIT_OPENED = "CircuitOpened";
    static final String CIRCUIT_CHANGED = "CircuitChanged";

    private LocalModelEvents() {
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

    /** On every breaker transition: a warning when the circuit opens, since routers then leave the model out. */
    static void circuit(EventRecorder events, LocalModel lm, CircuitTransition transition) {
        if (transition.opened()) {
            events.warning(lm, CIRCUIT_OPENED, "circuit " + transition.text()
                    + ": probes are failing; routers leave this model out");
        } else {
            events.normal(lm, CIRCUIT_CHANGED, "circuit " + transition.text());
        }
    }
}
