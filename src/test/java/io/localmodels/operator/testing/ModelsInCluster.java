package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.LocalModel;

import java.util.List;

import static org.awaitility.Awaitility.await;

/** What the operator wrote for LocalModels in the tests' namespace, read back from the API server for awaits and assertions. */
public final class ModelsInCluster {

    public static final String NAMESPACE = "llm";

    private final KubernetesClient client;

    public ModelsInCluster(KubernetesClient client) {
        this.client = client;
    }

    /** The LocalModel, or null when there is none. */
    public LocalModel get(String name) {
        return client.resources(LocalModel.class).inNamespace(NAMESPACE).withName(name).get();
    }

    /** Its phase; null while it has no status. */
    public String phase(String name) {
        LocalModel lm = get(name);
        return lm == null || lm.getStatus() == null ? null : lm.getStatus().getPhase();
    }

    /** Its health; empty while it has none. */
    public HealthStatus health(String name) {
        LocalModel lm = get(name);
        return lm == null || lm.getStatus() == null || lm.getStatus().getHealth() == null
                ? new HealthStatus() : lm.getStatus().getHealth();
    }

    /** The StatefulSet of a LocalModel, once the operator has made it. */
    public StatefulSet awaitStatefulSet(String name) {
        return await().until(() -> client.apps().statefulSets().inNamespace(NAMESPACE).withName(name).get(), s -> s != null);
    }

    /** Events about the object {@code name}, of whatever kind. */
    public List<Event> events(String name) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }
}
