package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.kube.CanonicalStrings;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.kube.Labels;
import io.localmodels.operator.runtime.LocalModelsOperator;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * JUnit extension for tests of the whole operator: before each test a fresh mock API server with our CRDs (CRUD, with
 * {@code expect()} answering first and Events selected by field as a real server does, see
 * {@link MockCluster#apiServer()}), a fake Ollama, and (on {@link #start}) the production-wired operator talking to
 * both; after it, all of that and whatever the test added (clients, Ollama fakes, replicas) goes.
 * Each replica is reached at its own address, as in a cluster: pods of ordinal {@code n} talk to
 * {@link #replica replica(n)} when the test made one, else to {@link #ollama()}.
 * Register it with {@code @RegisterExtension final OperatorWorld world = new OperatorWorld(config)}.
 */
public final class OperatorWorld implements BeforeEachCallback, AfterEachCallback {

    private final OperatorConfig config;
    private boolean faithfulLoads;
    private KubernetesMockServer server;
    private KubernetesClient client;
    /** One fake Ollama per pod ordinal the test asked for, and where it answers. */
    private record Served(FakeOllama ollama, String url) {
    }

    private final Map<Integer, Served> replicas = new ConcurrentHashMap<>();
    /** Each proxy pod's fake LiteLLM metrics page, by pod name. */
    private final Map<String, String> proxies = new ConcurrentHashMap<>();
    private Kubelet kubelet;
    private OperatorHarness harness;
    /** What the test added, closed last-in first-out: an operator before the client and the fake it uses. */
    private final Deque<AutoCloseable> added = new ArrayDeque<>();
    private boolean leasesAllowed;

    public OperatorWorld(OperatorConfig config) {
        this.config = config;
    }

    /**
     * Serves the fake Ollama from {@link FakeOllamaServer}, which sees a client disconnect, so a load whose caller
     * gave up is aborted as Ollama aborts it. MockWebServer cannot tell, so its loads always complete.
     */
    public OperatorWorld withFaithfulLoads() {
        this.faithfulLoads = true;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        server = MockCluster.apiServer();
        // the operator's own client, as `run` builds it
        try (KubernetesClient seed = server.createClient()) {
            client = CanonicalStrings.client().withConfig(seed.getConfiguration()).build();
        }
        MockCluster.installCrds(client);
        replica(0);
    }

    /**
     * The fake Ollama of the pods of this ordinal, started on first use (0 is {@link #ollama()}); until a test asks
     * for one, a replica talks to {@link #ollama()}.
     */
    public FakeOllama replica(int ordinal) {
        return replicas.computeIfAbsent(ordinal, n -> {
            FakeOllama fake = new FakeOllama();
            if (!faithfulLoads) {
                return new Served(fake, serve(fake).url("/").toString());
            }
            try {
                FakeOllamaServer socketServer = new FakeOllamaServer(fake);
                added.push(socketServer);
                added.push(fake::close);
                return new Served(fake, socketServer.url("/").toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on loopback", e);
            }
        }).ollama();
    }

    /** Where a pod's Ollama is: its ordinal's fake, or replica 0's. */
    private String urlOf(Pod pod) {
        String name = pod.getMetadata().getName();
        int ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        return replicas.getOrDefault(ordinal, replicas.get(0)).url();
    }

    /**
     * A Ready proxy pod of ModelRouter {@code router} in namespace {@code llm}, as its Deployment would make it: with
     * the Deployment's pod template labels once the operator made it, else the labels the operator selects router pods
     * by (no shard); its LiteLLM is the returned fake, where the operator reads its metrics.
     */
    public FakeLiteLlm proxyPod(String router, String podName) {
        var deployment = client.apps().deployments().inNamespace("llm").withName(router).get();
        Map<String, String> labels = deployment != null ? deployment.getSpec().getTemplate().getMetadata().getLabels()
                : Map.of(Labels.NAME, "litellm", Labels.INSTANCE, router, Labels.COMPONENT, Labels.ROUTER_COMPONENT,
                        Labels.MANAGED_BY, Labels.OPERATOR, Labels.ROUTER, router);
        return proxyPod(podName, labels);
    }

    /** The same with these pod labels, e.g. those of another shard's router whose operator is not running. */
    public FakeLiteLlm proxyPod(String podName, Map<String, String> labels) {
        FakeLiteLlm fake = new FakeLiteLlm();
        proxies.put(podName, serve(fake).url("/metrics/").toString());
        client.resource(new PodBuilder()
                .withNewMetadata().withName(podName).withNamespace("llm").withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("litellm").withImage(OperatorConfig.DEFAULT_LITELLM_IMAGE)
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.0.0." + (proxies.size() + 10))
                .addNewCondition().withType("ContainersReady").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        return fake;
    }

    /** Where a proxy pod's metrics are: its fake, or a closed port for a pod the test made no fake for. */
    private String proxyMetricsUrl(Pod pod) {
        return proxies.getOrDefault(pod.getMetadata().getName(), "http://127.0.0.1:9/metrics/");
    }

    /**
     * Creates the LocalModel {@code yaml} describes and, once the operator made its StatefulSet, has the kubelet start
     * its first pod, ready; returns the LocalModel's name.
     */
    public String serve(String yaml) {
        LocalModel lm = client().getKubernetesSerialization().unmarshal(yaml, LocalModel.class);
        client().resource(lm).create();
        kubelet().readyPod(models().awaitStatefulSet(lm.getMetadata().getName()), 0);
        return lm.getMetadata().getName();
    }

    /** The kubelet of this world (its sync loop ends with the test). */
    public Kubelet kubelet() {
        if (kubelet == null) {
            kubelet = new Kubelet(client);
            added.push(kubelet);
        }
        return kubelet;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (harness != null) {
            stop();
        }
        while (!added.isEmpty()) {
            added.pop().close();
        }
        replicas.clear();
        proxies.clear();
        kubelet = null;
        client.close();
        server.destroy();
    }

    /** Starts the operator with the world's config. */
    public OperatorHarness start() {
        return start(config);
    }

    /** Starts the operator with {@code other} settings, e.g. a clock of the test's own. */
    public OperatorHarness start(OperatorConfig other) {
        return start(client, other);
    }

    /** Starts the operator with the world's config, talking to the API server through a client of the test's own. */
    public OperatorHarness startThrough(KubernetesClient operatorClient) {
        return start(operatorClient, config);
    }

    private OperatorHarness start(KubernetesClient operatorClient, OperatorConfig settings) {
        if (harness != null) {
            throw new IllegalStateException("the operator is running; restart() replaces it");
        }
        harness = new OperatorHarness(operatorClient, server, settings,
                OperatorHarness.fakeAddressing((lm, pod) -> urlOf(pod)), this::proxyMetricsUrl, Optional.empty()).start();
        return harness;
    }

    /** Stops the running operator and starts a new one, as after a crash or an upgrade. */
    public OperatorHarness restart() {
        stop();
        return start();
    }

    /** Stops the operator (e.g. to see what a later one does to the state this one left). */
    public void stop() {
        harness.close();
        harness = null;
    }

    /**
     * Another operator replica with the world's config, campaigning for the lease of {@code election}: its own
     * client (its user agent is the election's identity, so its requests can be told apart) and {@code itsOllama}
     * on a server of its own. It runs until the test closes it or ends.
     */
    public OperatorHarness startReplica(LeaderElectionConfiguration election, Dispatcher itsOllama) {
        allowLeases();
        String identity = election.getIdentity().orElseThrow(() -> new IllegalArgumentException("a replica needs an identity"));
        KubernetesClient replicaClient = newClient(c -> c.withUserAgent(identity));
        String url = serve(itsOllama).url("/").toString();
        OperatorHarness replica = new OperatorHarness(replicaClient, server, config, url, Optional.of(election)).start();
        added.push(replica);
        return replica;
    }

    /**
     * Another operator with {@code settings} of its own (e.g. another shard of the fleet), without leader election,
     * through its own client whose user agent is {@code userAgent}, so its requests can be told apart; its pods'
     * Ollama and its proxies' metrics are the world's. It runs until the test closes it or ends.
     */
    public OperatorHarness startOther(OperatorConfig settings, String userAgent) {
        KubernetesClient own = newClient(c -> c.withUserAgent(userAgent));
        OperatorHarness other = new OperatorHarness(own, server, settings,
                OperatorHarness.fakeAddressing((lm, pod) -> urlOf(pod)), this::proxyMetricsUrl, Optional.empty()).start();
        added.push(other);
        return other;
    }

    /** Runs {@code register}ed reconcilers alone on the production JOSDK settings, e.g. one controller without the other. */
    public Operator startAlone(Metrics metrics, Consumer<Operator> register) {
        Operator operator = LocalModelsOperator.josdk(client, metrics, Optional.empty());
        register.accept(operator);
        added.push(operator::stop);
        operator.start();
        return operator;
    }

    /** A client of the test's own to the world's API server (a user agent, timeouts, ...); closed after the test. */
    public KubernetesClient newClient(UnaryOperator<ConfigBuilder> settings) {
        KubernetesClient own = new KubernetesClientBuilder()
                .withConfig(settings.apply(new ConfigBuilder(client.getConfiguration())).build()).build();
        added.push(own);
        return own;
    }

    /** Serves another Ollama fake (one per LocalModel, a faulty one, ...) on a MockWebServer of its own until the test ends. */
    public MockWebServer serve(Dispatcher fake) {
        MockWebServer fakeServer = new MockWebServer();
        fakeServer.setDispatcher(fake);
        try {
            fakeServer.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
        added.push(fakeServer);
        added.push(fake::close); // first: releases the streams the fake holds open, so that the server can stop
        return fakeServer;
    }

    private void allowLeases() {
        if (!leasesAllowed) {
            leasesAllowed = true;
            MockCluster.allowLeases(server);
        }
    }

    public OperatorHarness harness() {
        return harness;
    }

    public KubernetesClient client() {
        return client;
    }

    public KubernetesMockServer server() {
        return server;
    }

    /** Reads of the LocalModels and what the operator made for them. */
    public ModelsInCluster models() {
        return new ModelsInCluster(client);
    }

    public FakeOllama ollama() {
        return replica(0);
    }

    /** The fake Ollama's base URL, with a trailing slash. */
    public String ollamaUrl() {
        return replicas.get(0).url();
    }
}
