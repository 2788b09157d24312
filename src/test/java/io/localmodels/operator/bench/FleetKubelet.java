package io.localmodels.operator.bench;

import io.localmodels.operator.kube.Labels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.localmodels.operator.router.ProxyResources;
import io.localmodels.operator.testing.Kubelet;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays the controllers the mock API server does not run, driven by watches so it costs one write per object: a
 * ready pod for each new Ollama StatefulSet (one replica each), and ready replicas on each router Deployment whose
 * status the operator's update left empty.
 */
final class FleetKubelet implements AutoCloseable {

    private final KubernetesClient client;
    private final Kubelet kubelet;
    /** The StatefulSet controller's workers ({@code --concurrent-statefulset-syncs}): it creates pods for several at once. */
    private final ExecutorService workers = Executors.newFixedThreadPool(Kubelet.WORKERS, r -> {
        Thread t = new Thread(r, "fleet-kubelet");
        t.setDaemon(true);
        return t;
    });
    private final List<SharedIndexInformer<?>> informers;
    private final Map<String, Long> podMade = new ConcurrentHashMap<>();

    FleetKubelet(KubernetesClient client, String namespace) {
        this.client = client;
        this.kubelet = new Kubelet(client);
        this.informers = List.of(
                client.apps().statefulSets().inNamespace(namespace).inform(onAdd(this::startPod)),
                client.apps().deployments().inNamespace(namespace)
                        .withLabel("app.kubernetes.io/managed-by", Labels.OPERATOR)
                        .inform(onAddOrUpdate(this::markReady)));
    }

    private void startPod(StatefulSet sts) {
        workers.execute(() -> {
            kubelet.readyPod(sts, 0);
            var labels = sts.getMetadata().getLabels();
            podMade.putIfAbsent(labels == null ? sts.getMetadata().getName()
                    : labels.getOrDefault(Labels.LOCAL_MODEL, sts.getMetadata().getName()), System.nanoTime());
        });
    }

    /** When each LocalModel's first pod was made ({@link System#nanoTime}), by LocalModel name. */
    Map<String, Long> podsMade() {
        return podMade;
    }

    private void markReady(Deployment d) {
        if (d.getStatus() != null && d.getStatus().getReadyReplicas() != null) {
            return;
        }
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        workers.execute(() -> client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
                .withName(d.getMetadata().getName()).edit(live -> {
                    live.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
                            .withAvailableReplicas(replicas).build());
                    return live;
                }));
    }

    private static <T> ResourceEventHandler<T> onAdd(java.util.function.Consumer<T> action) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                action.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            }
        };
    }

    private static <T> ResourceEventHandler<T> onAddOrUpdate(java.util.function.Consumer<T> action) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                action.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                action.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            }
        };
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        workers.shutdownNow();
        kubelet.close();
    }
}
