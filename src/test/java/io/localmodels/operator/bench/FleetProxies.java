package io.localmodels.operator.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.localmodels.operator.kube.Labels;
import io.localmodels.operator.router.LiteLlmConfig;
import io.localmodels.operator.router.ProxyResources;
import io.localmodels.operator.testing.FakeLiteLlm;
import io.localmodels.operator.traffic.ProxyAddressing;
import mockwebserver3.MockWebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Plays the ReplicaSet controller and the kubelet for the routers' LiteLLM proxies, which the mock API server does
 * not run: each router Deployment gets one Ready pod per replica, with the template's labels and annotations and a
 * pod IP, and behind each pod a {@link FakeLiteLlm} on loopback that loaded the config the pod mounts (the router's
 * ConfigMap). A new config hash in the template rolls the pods as {@code maxSurge 1, maxUnavailable 0} does: the new
 * pods first, then the old ones go; a new pod is a new process, its counters start from zero. The operator reaches
 * each pod's metrics through {@link #addressing()}; the benchmark sends users' requests with {@link #users}.
 */
final class FleetProxies implements AutoCloseable {

    /** One proxy pod and the fake process behind it. */
    private record Proxy(String pod, String configHash, MockWebServer server, FakeLiteLlm fake) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, List<Proxy>> running = new ConcurrentHashMap<>();
    private final Map<String, String> metricsUrls = new ConcurrentHashMap<>();
    /** By router: the users' requests that reach one of its proxy processes between two scrapes. */
    private final Map<String, Consumer<FakeLiteLlm>> users = new ConcurrentHashMap<>();
    /** One worker, so that the rollouts of one Deployment never overlap. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fleet-proxies");
        t.setDaemon(true);
        return t;
    });
    private final SharedIndexInformer<Deployment> informer;
    private int podsMade;

    FleetProxies(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.informer = client.apps().deployments().inNamespace(namespace)
                .withLabelSelector(Labels.managed(Labels.ROUTER_COMPONENT)).inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Deployment d) {
                        worker.execute(() -> roll(d.getMetadata().getName()));
                    }

                    @Override
                    public void onUpdate(Deployment old, Deployment d) {
                        worker.execute(() -> roll(d.getMetadata().getName()));
                    }

                    @Override
                    public void onDelete(Deployment d, boolean unknown) {
                    }
                });
    }

    /** Where the operator reads a proxy pod's metrics: its fake, or a closed port for a pod that is gone. */
    ProxyAddressing addressing() {
        return pod -> metricsUrls.getOrDefault(pod.getMetadata().getName(), "http://127.0.0.1:9" + ProxyAddressing.PATH);
    }

    /**
     * From now on {@code perScrape} runs on each of {@code router}'s proxy processes before each metrics page: the
     * users' requests of one status period (the operator reads once per period), e.g. successes for its busy backends.
     */
    void users(String router, Consumer<FakeLiteLlm> perScrape) {
        users.put(router, perScrape);
    }

    /** Proxy pods made so far (the first ones and every rollout's). */
    synchronized int podsMade() {
        return podsMade;
    }

    /** Brings {@code deployment}'s pods to its current template (worker thread). */
    private void roll(String deployment) {
        Deployment d = informer.getStore().getByKey(namespace + "/" + deployment);
        if (d == null) {
            return;
        }
        String hash = d.getSpec().getTemplate().getMetadata().getAnnotations().get(ProxyResources.CONFIG_HASH_ANNOTATION);
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        List<Proxy> old = running.getOrDefault(deployment, List.of());
        if (old.size() == replicas && old.stream().allMatch(p -> Objects.equals(p.configHash(), hash))) {
            return;
        }
        String config = mountedConfig(d);
        List<Proxy> next = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            next.add(start(d, hash, config));
        }
        running.put(deployment, next);
        for (Proxy p : old) {
            client.pods().inNamespace(namespace).withName(p.pod()).delete();
            metricsUrls.remove(p.pod());
            close(p);
        }
    }

    /** The config.yaml of the ConfigMap the pod template mounts. */
    private String mountedConfig(Deployment d) {
        String name = d.getSpec().getTemplate().getSpec().getVolumes().stream().map(Volume::getConfigMap)
                .filter(Objects::nonNull).findFirst().orElseThrow().getName();
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
        return cm == null || cm.getData() == null ? "{}" : cm.getData().getOrDefault(LiteLlmConfig.FILE_NAME, "{}");
    }

    private Proxy start(Deployment d, String hash, String config) {
        String router = d.getMetadata().getName();
        FakeLiteLlm fake = new FakeLiteLlm().load(config);
        fake.betweenScrapes(() -> users.getOrDefault(router, f -> { }).accept(fake));
        MockWebServer server = new MockWebServer();
        server.setDispatcher(fake);
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
        int seq;
        synchronized (this) {
            seq = ++podsMade;
        }
        String name = router + "-" + seq;
        var template = d.getSpec().getTemplate();
        client.resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(template.getMetadata().getLabels())
                .withAnnotations(template.getMetadata().getAnnotations()).endMetadata()
                .withSpec(template.getSpec())
                .withNewStatus().withPhase("Running").withPodIP("10.1." + (seq / 250) + "." + (seq % 250 + 1))
                .addNewCondition().withType("ContainersReady").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        metricsUrls.put(name, server.url(ProxyAddressing.PATH).toString());
        return new Proxy(name, hash, server, fake);
    }

    private static void close(Proxy p) {
        p.fake().close(); // first: releases what the fake holds open, so that the server can stop
        p.server().close();
    }

    @Override
    public void close() {
        informer.close();
        worker.shutdownNow();
        running.values().forEach(list -> list.forEach(FleetProxies::close));
    }
}
