package io.localmodels.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.status.Conditions;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.function.Predicate;

/**
 * Watches the fleet's status as a user would: which LocalModels are Ready with health in status and which
 * ModelRouters are Ready. Through watches, so waiting costs the API server no lists.
 */
final class FleetWatch implements AutoCloseable {

    /** {@code -Dbench.trace=lm-0003}: prints every status of that resource the watch sees, to see why it was written. */
    private static final String TRACE = System.getProperty("bench.trace");

    private final SharedIndexInformer<LocalModel> models;
    private final SharedIndexInformer<ModelRouter> routers;
    private final Set<String> readyModels = ConcurrentHashMap.newKeySet();
    private final Set<String> readyRouters = ConcurrentHashMap.newKeySet();
    /** Each LocalModel's phase as last seen (none yet: "-"), for the progress lines: where a bring-up waits. */
    private final Map<String, String> phases = new ConcurrentHashMap<>();
    /** When each LocalModel was first seen Ready with health ({@link System#nanoTime}). */
    private final Map<String, Long> firstReady = new ConcurrentHashMap<>();
    private volatile Consumer<LocalModel> modelListener = lm -> { };
    /** Which LocalModel status fields moved in each write seen (counted between start and stop). */
    private final StatusFieldCount modelFields = new StatusFieldCount();
    private final StatusFieldCount routerFields = new StatusFieldCount();

    FleetWatch(KubernetesClient client, String namespace) {
        this.models = client.resources(LocalModel.class).inNamespace(namespace)
                .inform(tracking(readyModels, FleetWatch::readyWithHealth));
        this.routers = client.resources(ModelRouter.class).inNamespace(namespace)
                .inform(tracking(readyRouters, r -> r.getStatus() != null && "Ready".equals(r.getStatus().getPhase())));
    }

    /** Phase Ready, the Healthy condition True and a closed circuit in {@code status.health}. */
    static boolean readyWithHealth(LocalModel lm) {
        var s = lm.getStatus();
        return s != null && "Ready".equals(s.getPhase()) && s.getHealth() != null
                && "Closed".equals(s.getHealth().getCircuit()) && s.getHealth().getProbes() != null
                && Conditions.isTrue(s.getConditions(), "Healthy");
    }

    int readyModels() {
        return readyModels.size();
    }

    /** How many LocalModels are in each phase now ("-": no status yet), by phase name. */
    Map<String, Long> phases() {
        return new TreeMap<>(phases.values().stream().collect(Collectors.groupingBy(p -> p, Collectors.counting())));
    }

    Map<String, Long> firstReady() {
        return firstReady;
    }

    int readyRouters() {
        return readyRouters.size();
    }

    /** Sees every LocalModel the watch delivers from now on (on the informer's thread; must not block). */
    void onModel(Consumer<LocalModel> listener) {
        this.modelListener = listener;
    }

    StatusFieldCount modelFields() {
        return modelFields;
    }

    StatusFieldCount routerFields() {
        return routerFields;
    }

    LocalModel model(String namespace, String name) {
        return models.getStore().getByKey(namespace + "/" + name);
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> ResourceEventHandler<T> tracking(
            Set<String> ready, Predicate<T> isReady) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                update(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                update(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                ready.remove(obj.getMetadata().getName());
                phases.remove(obj.getMetadata().getName());
            }

            private void update(T obj) {
                if (TRACE != null && TRACE.equals(obj.getMetadata().getName())) {
                    System.out.println("trace: " + obj.getMetadata().getResourceVersion() + " "
                            + io.fabric8.kubernetes.client.utils.Serialization.asJson(obj));
                }
                if (obj instanceof LocalModel lm) {
                    phases.put(obj.getMetadata().getName(), lm.getStatus() == null || lm.getStatus().getPhase() == null
                            ? "-" : lm.getStatus().getPhase());
                    modelFields.saw(obj.getMetadata().getName(), lm.getStatus());
                    modelListener.accept(lm);
                } else if (obj instanceof ModelRouter r) {
                    routerFields.saw(obj.getMetadata().getName(), r.getStatus());
                }
                if (isReady.test(obj)) {
                    ready.add(obj.getMetadata().getName());
                    if (obj instanceof LocalModel) {
                        firstReady.putIfAbsent(obj.getMetadata().getName(), System.nanoTime());
                    }
                } else {
                    ready.remove(obj.getMetadata().getName());
                }
            }
        };
    }

    @Override
    public void close() {
        models.close();
        routers.close();
    }
}
