package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelStatus;

import java.util.List;

import static org.awaitility.Awaitility.await;

/** What the operator wrote for LocalModels in the tests' namespace, read back from the API server for awaits and assertions. */
public final class ModelsInCluster {

    public static final String NAMESPACE = "llm";

    private final KubernetesClient client;

    public ModelsInCluster(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The LocalModel, or null when there is none. Until the operator has written a status (it holds a new model's
     * first one for up to a second, to write it with the changes that follow) its status reads as an empty one, so
     * an await on a status field waits instead of failing on null.
     */
    public LocalModel get(String name) {
        LocalModel lm = client.resources(LocalModel.class).inNamespace(NAMESPACE).withName(name).get();
        if (lm != null && lm.getStatus() == null) {
            lm.setStatus(new LocalModelStatus());
        }
        return lm;
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
