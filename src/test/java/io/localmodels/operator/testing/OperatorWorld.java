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

import java.io.IOException;
import java.util.HashMap;
import java.util.Queue;

/**
 * JUnit extension for tests of the whole operator: before each test a fresh CRUD mock API server with our CRDs, a
 * fake Ollama, and (on {@link #start}) the production-wired operator talking to both; after it, all three go.
 * Register it with {@code @RegisterExtension final OperatorWorld world = new OperatorWorld(config)}.
 */
public final class OperatorWorld implements BeforeEachCallback, AfterEachCallback {

    private final OperatorConfig config;
    private boolean faithfulLoads;
    private FakeOllamaServer socketServer;
    private KubernetesMockServer server;
    private KubernetesClient client;
    private FakeOllama ollama;
    private MockWebServer ollamaServer;
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
        ollama = new FakeOllama();
        if (faithfulLoads) {
            socketServer = new FakeOllamaServer(ollama);
        } else {
            ollamaServer = new MockWebServer();
            ollamaServer.setDispatcher(ollama);
            ollamaServer.start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (harness != null) {
            harness.close();
            harness = null;
        }
        if (ollama != null) {
            ollama.close();
            if (ollamaServer != null) {
                ollamaServer.close();
            }
            if (socketServer != null) {
                socketServer.close();
            }
        }
        client.close();
        server.destroy();
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
        harness = new OperatorHarness(client, server, other, ollamaUrl()).start();
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
        return ollama;
    }

    /** The fake Ollama's base URL, with a trailing slash. */
    public String ollamaUrl() {
        return socketServer != null ? socketServer.url("/").toString() : ollamaServer.url("/").toString();
    }
}
