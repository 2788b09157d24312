package io.localmodels.operator.router;

import io.localmodels.operator.api.Backend;
import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.ExcludedBackend;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.api.RoutedModel;
import io.localmodels.operator.api.RouterModelStatus;
import io.localmodels.operator.model.LocalModelStatusFactory;
import io.localmodels.operator.status.Conditions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Health gating: decides which backends of a model name go into the LiteLLM config. A backend is routable when its
 * LocalModel exists, has condition {@code Ready=True}, its circuit is not Open and it has an endpoint. With gating on,
 * unroutable backends are left out, unless that would leave the name with none: then all are kept (fail static).
 */
final class BackendGate {

    /** A backend that goes into the config, with the LocalModel serving it. */
    record RoutedBackend(Backend backend, LocalModel localModel, boolean healthy) {
    }

    /** The outcome for one model name. */
    record GatedModel(RoutedModel model, List<RoutedBackend> routed, RouterModelStatus status, boolean failStatic,
                      List<ExcludedBackend> unhealthy) {

        boolean hasHealthyBackend() {
            return status.getHealthyBackends() > 0;
        }
    }

    private BackendGate() {
    }

    static GatedModel gate(RoutedModel model, Map<String, LocalModel> localModels, boolean gating) {
        List<Backend> declared = model.getBackends() == null ? List.of() : model.getBackends();
        List<RoutedBackend> healthy = new ArrayList<>();
        List<RoutedBackend> unhealthyButPresent = new ArrayList<>();
        List<ExcludedBackend> unhealthy = new ArrayList<>();
        for (Backend b : declared) {
            if (b == null || b.getLocalModel() == null) {
                continue;
            }
            LocalModel lm = localModels.get(b.getLocalModel());
            Optional<String> why = whyNotRoutable(lm);
            if (why.isEmpty()) {
                healthy.add(new RoutedBackend(b, lm, true));
            } else {
                unhealthy.add(excluded(b.getLocalModel(), why.get()));
                if (lm != null) {
                    // a missing LocalModel has no model reference to render; it is a validation error anyway
                    unhealthyButPresent.add(new RoutedBackend(b, lm, false));
                }
            }
        }
        List<RoutedBackend> routed;
        List<ExcludedBackend> excluded;
        boolean failStatic = false;
        if (!gating) {
            routed = inDeclaredOrder(declared, healthy, unhealthyButPresent);
            excluded = List.of();
        } else if (healthy.isEmpty()) {
            routed = inDeclaredOrder(declared, healthy, unhealthyButPresent);
            excluded = List.of();
            failStatic = true;
        } else {
            routed = healthy;
            excluded = unhealthy;
        }
        RouterModelStatus status = new RouterModelStatus();
        status.setName(model.getName());
        status.setBackends(declared.size());
        status.setHealthyBackends(healthy.size());
        status.setExcluded(excluded);
        return new GatedModel(model, List.copyOf(routed), status, failStatic, List.copyOf(unhealthy));
    }

    /** Why a LocalModel cannot take traffic, or empty when it can. Texts name the cause; they hold nothing secret. */
    static Optional<String> whyNotRoutable(LocalModel lm) {
        if (lm == null) {
            return Optional.of("LocalModel not found");
        }
        LocalModelStatus st = lm.getStatus();
        if (st == null) {
            return Optional.of("not Ready: no status yet");
        }
        if (st.getHealth() != null && CircuitState.of(st.getHealth().getCircuit()).orElse(null) == CircuitState.OPEN) {
            return Optional.of("circuit " + CircuitState.OPEN.value());
        }
        if (!Conditions.isTrue(st.getConditions(), LocalModelStatusFactory.READY)) {
            String reason = Conditions.find(st.getConditions(), LocalModelStatusFactory.READY).map(c -> c.getReason())
                    .filter(r -> r != null && !r.isBlank())
                    .orElse(st.getPhase() == null ? "no Ready condition" : "phase " + st.getPhase());
            return Optional.of("not Ready: " + reason);
        }
        if (st.getEndpoint() == null || st.getEndpoint().isBlank()) {
            return Optional.of("no endpoint in status");
        }
        return Optional.empty();
    }

    private static List<RoutedBackend> inDeclaredOrder(List<Backend> declared, List<RoutedBackend> a,
                                                       List<RoutedBackend> b) {
        List<RoutedBackend> out = new ArrayList<>();
        for (Backend d : declared) {
            a.stream().filter(r -> r.backend() == d).findFirst().ifPresent(out::add);
            b.stream().filter(r -> r.backend() == d).findFirst().ifPresent(out::add);
        }
        return out;
    }

    private static ExcludedBackend excluded(String localModel, String reason) {
        ExcludedBackend e = new ExcludedBackend();
        e.setLocalModel(localModel);
        e.setReason(reason);
        return e;
    }
}
