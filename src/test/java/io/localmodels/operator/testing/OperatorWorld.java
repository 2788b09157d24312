package io.localmodels.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.localmodels.operator.config.OperatorConfig;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.fabric8.kubernetes.api.model.Pod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JUnit extension for tests of the whole operator: before each test a fresh CRUD mock API server with our CRDs, a
 * fake Ollama, and (on {@link #start}) the production-wired operator talking to both; after it, all of them go.
 * Each replica is reached at its own address, as in a cluster: pods of ordinal {@code n} talk to
 * {@link #replica replica(n)} when the test made one, else to {@link #ollama()}.
 * Register it with {@code @RegisterExtension final OperatorWorld world = new OperatorWorld(config)}.
 */
public final class OperatorWorld implements BeforeEachCallback, AfterEachCallback {

    /** One fake Ollama and the server it answers on. */
    private record Served(FakeOllama ollama, FakeOllamaServer socket, MockWebServer web) {

        String url() {
            return socket != null ? socket.url("/").toString() : web.url("/").toString();
        }

        void close() throws IOException {
            ollama.close();
            if (web != null) {
                web.close();
            }
            if (socket != null) {
                socket.close();
            }
        }
    }

    private final OperatorConfig config;
    private boolean faithfulLoads;
    private KubernetesMockServer server;
    private KubernetesClient client;
    private final Map<Integer, Served> replicas = new ConcurrentHashMap<>();
    private Kubelet kubelet;
    private OperatorHarness harness;

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
        // what @EnableKubernetesMockClient(crud = true) builds
        var responses = new HashMap<ServerRequest, Queue<ServerResponse>>();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new io.fabric8.mockwebserver.MockWebServer(),
                responses, new KubernetesMixedDispatcher(responses), false);
        server.init();
        client = server.createClient();
        MockCluster.installCrds(client);
        replica(0);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (harness != null) {
            harness.close();
            harness = null;
        }
        if (kubelet != null) {
            kubelet.close();
            kubelet = null;
        }
        for (Served served : replicas.values()) {
            served.close();
        }
        replicas.clear();
        client.close();
        server.destroy();
    }

    /**
     * The fake Ollama of the pods of this ordinal, started on first use (0 is {@link #ollama()}); until a test asks
     * for one, a replica talks to {@link #ollama()}.
     */
    public FakeOllama replica(int ordinal) {
        return replicas.computeIfAbsent(ordinal, n -> serve(new FakeOllama())).ollama();
    }

    private Served serve(FakeOllama fake) {
        try {
            if (faithfulLoads) {
                return new Served(fake, new FakeOllamaServer(fake), null);
            }
            MockWebServer web = new MockWebServer();
            web.setDispatcher(fake);
            web.start();
            return new Served(fake, null, web);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a pod's Ollama is: its ordinal's fake, or replica 0's. */
    private String urlOf(Pod pod) {
        String name = pod.getMetadata().getName();
        int ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        return replicas.getOrDefault(ordinal, replicas.get(0)).url();
    }

    /** The kubelet of this world (its sync loop ends with the test). */
    public Kubelet kubelet() {
        if (kubelet == null) {
            kubelet = new Kubelet(client);
        }
        return kubelet;
    }

    /** Starts the operator with the world's config. */
    public OperatorHarness start() {
        return start(config);
    }

    /** Starts the operator with {@code other} settings, e.g. a clock of the test's own. */
    public OperatorHarness start(OperatorConfig other) {
        if (harness != null) {
            throw new IllegalStateException("the operator is running; restart() replaces it");
        }
        harness = new OperatorHarness(client, server, other, OperatorHarness.fakeAddressing((lm, pod) -> urlOf(pod)),
                Optional.empty()).start();
        return harness;
    }

    /** Stops the running operator and starts a new one, as after a crash or an upgrade. */
    public OperatorHarness restart() {
        harness.close();
        harness = null;
        return start();
    }

    /** Stops the operator (e.g. to see what a later one does to the state this one left). */
    public void stop() {
        harness.close();
        harness = null;
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

    public FakeOllama ollama() {
        return replica(0);
    }

    /** The fake Ollama's base URL, with a trailing slash. */
    public String ollamaUrl() {
        return replicas.get(0).url();
    }
}
