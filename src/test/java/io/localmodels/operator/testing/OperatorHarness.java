package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.model.OllamaAddressing;
import io.localmodels.operator.runtime.LocalModelsOperator;
import io.localmodels.operator.traffic.ProxyAddressing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The real operator, wired as the command line wires it, against the fabric8 mock API server; every Ollama it
 * talks to is the test's fake. Records the API requests it makes so tests can count writes.
 */
public final class OperatorHarness implements AutoCloseable {

    private final KubernetesMockServer server;
    private final LocalModelsOperator operator;
    private boolean closed;
    public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public OperatorHarness(KubernetesClient client, KubernetesMockServer server, OperatorConfig config, String ollamaUrl) {
        this(client, server, config, ollamaUrl, Optional.empty());
    }

    /** The same, campaigning for a lease as the shipped operator does in a cluster. */
    public OperatorHarness(KubernetesClient client, KubernetesMockServer server, OperatorConfig config, String ollamaUrl,
                           Optional<LeaderElectionConfiguration> leaderElection) {
        this(client, server, config, fakeAddressing(ollamaUrl), leaderElection);
    }

    /** The same, reaching Ollama as {@code addressing} says (e.g. a fake of its own per replica). */
    public OperatorHarness(KubernetesClient client, KubernetesMockServer server, OperatorConfig config,
                           OllamaAddressing addressing, Optional<LeaderElectionConfiguration> leaderElection) {
        this(client, server, config, addressing, ProxyAddressing.inCluster(), leaderElection);
    }

    /** The same, reading the router proxies' metrics where {@code proxies} says (a fake LiteLLM per pod). */
    public OperatorHarness(KubernetesClient client, KubernetesMockServer server, OperatorConfig config,
                           OllamaAddressing addressing, ProxyAddressing proxies,
                           Optional<LeaderElectionConfiguration> leaderElection) {
        this.server = server;
        MockCluster.installCrds(client);
        this.operator = new LocalModelsOperator(client, config, addressing, proxies, registry, leaderElection);
    }

    /** Status shows the cluster address; the operator's own calls go to the fake. */
    public static OllamaAddressing fakeAddressing(String ollamaUrl) {
        String base = ollamaUrl.replaceAll("/+$", "");
        return fakeAddressing(lm -> base);
    }

    /** The same, with a fake Ollama of its own for each LocalModel (external ones keep their URL). */
    public static OllamaAddressing fakeAddressing(Function<LocalModel, String> fakeUrlOf) {
        return fakeAddressing((lm, pod) -> fakeUrlOf.apply(lm));
    }

    /**
     * The same, with a fake Ollama of its own for each replica: every pod's address (its IP in a cluster) is the
     * fake the function names; external models keep their URL.
     */
    public static OllamaAddressing fakeAddressing(BiFunction<LocalModel, Pod, String> fakeUrlOf) {
        OllamaAddressing real = OllamaAddressing.inCluster();
        return new OllamaAddressing() {
            @Override
            public String serviceEndpoint(LocalModel lm) {
                return real.serviceEndpoint(lm);
            }

            @Override
            public String replicaEndpoint(LocalModel lm, Pod pod) {
                return fakeUrlOf.apply(lm, pod).replaceAll("/+$", "");
            }
        };
    }

    public OperatorHarness start() {
        operator.start();
        return this;
    }

    public LocalModelsOperator operator() {
        return operator;
    }

    /** Method and path of every API request since the last call (drains the mock server's journal). */
    public List<String> drainRequests() {
        List<String> seen = new ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
                seen.add(r.getMethod() + " " + r.getPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return seen;
    }

    public static List<String> writes(List<String> requests) {
        return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
    }

    /** Stops the operator (and gives up its lease); a second call does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            operator.close();
        }
    }
}
