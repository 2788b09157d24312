package io.localmodels.operator.traffic;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.config.Shard;
import io.localmodels.operator.kube.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The proxy pods of every ModelRouter, from an informer on the pods this operator labelled as router pods (so the
 * cache holds only those); a round reads only the Ready ones with an address.
 */
final class ProxyPods implements AutoCloseable {

    /** A router by namespace and name. */
    record Router(String namespace, String name) {

        ResourceID id() {
            return new ResourceID(name, namespace);
        }
    }

    private final List<SharedIndexInformer<Pod>> informers = new ArrayList<>();

    /**
     * @param shard the operator's shard: the cache holds only pods carrying its label, which the proxy Deployment's
     *              pod template gives them (ProxyResources), so a shard reads only its own routers' proxies.
     */
    ProxyPods(KubernetesClient client, Set<String> namespaces, Shard shard) {
        String selector = shard.ownObjects(Labels.managed(Labels.ROUTER_COMPONENT));
        if (namespaces.isEmpty()) {
            informers.add(client.pods().inAnyNamespace().withLabelSelector(selector).inform());
        } else {
            namespaces.forEach(ns -> informers.add(client.pods().inNamespace(ns).withLabelSelector(selector).inform()));
        }
    }

    /** Ready pods with an IP, by router, sorted. */
    Map<Router, List<Pod>> ready() {
        Map<Router, List<Pod>> out = new TreeMap<>((a, b) -> (a.namespace() + "/" + a.name()).compareTo(b.namespace() + "/" + b.name()));
        for (SharedIndexInformer<Pod> informer : informers) {
            for (Pod pod : informer.getStore().list()) {
                String router = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(Labels.ROUTER);
                if (router != null && isReady(pod)) {
                    out.computeIfAbsent(new Router(pod.getMetadata().getNamespace(), router), r -> new ArrayList<>()).add(pod);
                }
            }
        }
        return out;
    }

    static boolean isReady(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                && pod.getStatus().getPodIP() != null && !pod.getStatus().getPodIP().isBlank()
                && Readiness.isPodReady(pod);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
