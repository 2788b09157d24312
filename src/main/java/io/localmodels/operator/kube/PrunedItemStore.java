package io.localmodels.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.function.UnaryOperator;

/**
 * An informer store that keeps of each object only what the operator reads: a cache holds one copy of every Ollama
 * StatefulSet and pod, and their pod templates and container specs (which the operator writes but never reads back)
 * were most of an operator's memory per model. Objects are pruned as they arrive, before anyone reads them.
 */
public final class PrunedItemStore<T extends HasMetadata> implements ItemStore<T> {

    private final BasicItemStore<T> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final UnaryOperator<T> prune;

    private PrunedItemStore(UnaryOperator<T> prune) {
        this.prune = prune;
    }

    /** A store that keeps what {@code prune} leaves of each object (it may change the object it is given). */
    public static <T extends HasMetadata> PrunedItemStore<T> of(UnaryOperator<T> prune) {
        return new PrunedItemStore<>(prune);
    }

    /**
     * StatefulSets without {@code spec.template}: an update is built from the desired object and judged by the
     * desired-hash annotation; what is carried over from the live object (selector, service name, claim templates)
     * and status stay.
     */
    public static PrunedItemStore<StatefulSet> statefulSets() {
        return new PrunedItemStore<>(sts -> {
            if (sts.getSpec() != null) {
                sts.getSpec().setTemplate(null);
            }
            return sts;
        });
    }

    /**
     * Pods with status and metadata, and of their spec only the node, the readiness gates and the volumes that name
     * a claim (for a pending claim's Events); containers and the rest are the StatefulSet's template again.
     */
    public static PrunedItemStore<Pod> pods() {
        return new PrunedItemStore<>(pod -> {
            PodSpec spec = pod.getSpec();
            if (spec != null) {
                PodSpec kept = new PodSpec();
                kept.setNodeName(spec.getNodeName());
                kept.setReadinessGates(spec.getReadinessGates());
                if (spec.getVolumes() != null) {
                    kept.setVolumes(spec.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                            .toList());
                }
                pod.setSpec(kept);
            }
            return pod;
        });
    }

    @Override
    public String getKey(T obj) {
        return store.getKey(obj);
    }

    @Override
    public T put(String key, T obj) {
        if (obj.getMetadata() != null) {
            obj.getMetadata().setManagedFields(null); // the API server's field bookkeeping: never read here
        }
        return store.put(key, prune.apply(obj));
    }

    @Override
    public T remove(String key) {
        return store.remove(key);
    }

    @Override
    public java.util.stream.Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public java.util.stream.Stream<T> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public T get(String key) {
        return store.get(key);
    }
}
