package io.localmodels.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels the operator puts on what it creates, for LocalModels (Ollama) and ModelRouters (LiteLLM) alike. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "localmodels-operator";
    /** On pods: the LocalModel they serve, so pod events map back to it. */
    public static final String LOCAL_MODEL = "localmodels.io/local-model";
    /** On the proxy's objects: the ModelRouter they belong to. */
    public static final String ROUTER = "localmodels.io/router";
    public static final String MODEL_SERVER = "model-server";
    public static final String ROUTER_COMPONENT = "router";

    private Labels() {
    }

    /** Selector labels of a LocalModel's pods: stable for the life of the StatefulSet (its selector is immutable). */
    public static Map<String, String> selector(LocalModel lm) {
        return selector("ollama", lm);
    }

    /** Labels of a LocalModel's StatefulSet, Service and pods; {@code shard}: the operator's shard label, if any. */
    public static Map<String, String> common(LocalModel lm, Map<String, String> shard) {
        return common(selector(lm), MODEL_SERVER, LOCAL_MODEL, lm, shard);
    }

    /** Selector labels of a router's proxy pods. */
    public static Map<String, String> selector(ModelRouter router) {
        return selector("litellm", router);
    }

    /** Labels of a router's ConfigMap, Deployment, Service and proxy pods; {@code shard}: the operator's shard label, if any. */
    public static Map<String, String> common(ModelRouter router, Map<String, String> shard) {
        return common(selector(router), ROUTER_COMPONENT, ROUTER, router, shard);
    }

    /** The label selector of everything of one component this operator made: keeps informer caches small. */
    public static String managed(String component) {
        return MANAGED_BY + "=" + OPERATOR + "," + COMPONENT + "=" + component;
    }

    private static Map<String, String> selector(String app, HasMetadata owner) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, app);
        labels.put(INSTANCE, owner.getMetadata().getName());
        return labels;
    }

    private static Map<String, String> common(Map<String, String> selector, String component, String ownerLabel,
                                              HasMetadata owner, Map<String, String> shard) {
        Map<String, String> labels = new LinkedHashMap<>(selector);
        labels.put(COMPONENT, component);
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(ownerLabel, owner.getMetadata().getName());
        labels.putAll(shard);
        return labels;
    }
}
