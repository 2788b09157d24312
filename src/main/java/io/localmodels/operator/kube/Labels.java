package io.localmodels.operator.kube;

import io.localmodels.operator.api.LocalModel;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels and annotations the operator puts on what it creates for a LocalModel. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "localmodels-operator";
    /** On pods: the LocalModel they serve, so pod events map back to it. */
    public static final String LOCAL_MODEL = "localmodels.io/local-model";

    private Labels() {
    }

    /** Selector labels: stable for the life of the StatefulSet (its selector is immutable). */
    public static Map<String, String> selector(LocalModel lm) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, "ollama");
        labels.put(INSTANCE, lm.getMetadata().getName());
        return labels;
    }

    public static Map<String, String> common(LocalModel lm) {
        Map<String, String> labels = selector(lm);
        labels.put(COMPONENT, "model-server");
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(LOCAL_MODEL, lm.getMetadata().getName());
        return labels;
    }
}
