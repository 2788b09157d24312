package io.localmodels.operator.install;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.localmodels.operator.config.Shard;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.install.RbacRules.Request;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.Kubelet;
import io.localmodels.operator.testing.MockCluster;
import io.localmodels.operator.testing.OperatorHarness;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Optional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the operator's main scenarios against the mock API server, records every request the operator itself made,
 * and checks the chart's RBAC allows each one — cluster-wide and when watching one namespace. A rule removed from
 * the chart makes this fail.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorRbacTest {

    static final String AGENT = "localmodels-operator-rbac-test";

    KubernetesClient client;
    KubernetesMockServer server;

    @TempDir
    Path scratch;

    @Test
    void theChartAllowsEveryRequestTheOperatorMakes() throws Exception {
        Set<Request> requests = runScenarios(OperatorConfig.defaults().withStatusPeriod(Duration.ofMillis(200)));

        assertThat(requests).extracting(Request::resource)
                .contains("localmodels", "localmodels/status", "modelrouters", "modelrouters/status", "statefulsets",
                        "services", "pods", "configmaps", "deployments", "events", "secrets");
        assertThat(requests).as("the model gate of the Ollama pod").contains(new Request("llm", "", "pods/status", "patch"));
        assertThat(requests).contains(new Request("llm", "", "events", "list"),
                new Request("llm", "", "persistentvolumeclaims", "get"));
        RbacRules clusterWide = RbacRules.of(OperatorChart.render(Map.of(), scratch));
        assertThat(clusterWide.missing(requests)).as("requests the default chart does not allow").isEmpty();
        assertThat(clusterWide.hasWildcards()).isFalse();
    }

    @Test
    void theNamespacedChartAllowsEveryRequestOfAnOperatorWatchingOneNamespace() throws Exception {
        Set<Request> requests = runScenarios(OperatorConfig.defaults().withNamespaces(Set.of("llm"))
                .withStatusPeriod(Duration.ofMillis(200)));

        RbacRules namespaced = RbacRules.of(OperatorChart.render(Map.of("watchNamespaces", List.of("llm")), scratch));
        assertThat(namespaced.missing(requests)).as("requests the namespaced chart does not allow").isEmpty();
    }

    @Test
    void theLeaseRuleAllowsWhatLeaderElectionDoes() throws Exception {
        MockCluster.installCrds(client);
        // JOSDK asks whether it may use leases before it campaigns; every authenticated user may ask
        // (system:basic-user), so the chart needs no rule for it
        MockCluster.allowLeases(server);
        KubernetesClient operatorClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT).build()).build();
        LeaderElectionConfiguration election = LeaderElectionConfigurationBuilder
                .aLeaderElectionConfiguration(Shard.LEASE)
                .withLeaseNamespace(OperatorChart.NAMESPACE).withIdentity("operator-0")
                .withLeaseDuration(Duration.ofSeconds(2)).withRenewDeadline(Duration.ofMillis(1500))
                .withRetryPeriod(Duration.ofMillis(100))
                .withExitOnStopLeading(false) // the shipped default exits the JVM when leadership ends
                .build();
        try (var harness = new OperatorHarness(operatorClient, server, OperatorConfig.defaults(), "http://127.0.0.1:9/",
                Optional.of(election))) {
            harness.start();
            // taken, then renewed several times
            Set<String> renewals = new HashSet<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Lease lease = client.leases().inNamespace(OperatorChart.NAMESPACE).withName(Shard.LEASE).get();
                if (lease != null && "operator-0".equals(lease.getSpec().getHolderIdentity())) {
                    renewals.add(String.valueOf(lease.getSpec().getRenewTime()));
                }
                return renewals.size() >= 4;
            });
        } finally {
            operatorClient.close();
        }
        // and released on stop
        Lease released = client.leases().inNamespace(OperatorChart.NAMESPACE).withName(Shard.LEASE).get();
        assertThat(released.getSpec().getHolderIdentity()).as("the lease is given up on stop").isNullOrEmpty();

        List<Request> leaseRequests = operatorRequests().stream()
                .filter(r -> r.resource().equals("leases")).toList();
        assertThat(leaseRequests).extracting(Request::verb).contains("create");
        assertThat(leaseRequests.size()).as("requests of a lease taken, renewed and released").isGreaterThan(1);
        for (Map<String, Object> values : List.of(Map.<String, Object>of(), Map.<String, Object>of("watchNamespaces", List.of("llm")))) {
            RbacRules rules = RbacRules.of(OperatorChart.render(values, scratch));
            assertThat(rules.missing(leaseRequests)).as("lease requests the chart does not allow, values " + values).isEmpty();
        }
    }

    /** A LocalModel from creation to Ready and deletion, and a ModelRouter over it; returns the operator's requests. */
    private Set<Request> runScenarios(OperatorConfig config) throws Exception {
        MockCluster.installCrds(client); // the test installs the CRDs, not the operator
        KubernetesClient operatorClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT).build()).build();
        FakeOllama ollama = new FakeOllama();
        try (MockWebServer ollamaServer = new MockWebServer()) {
            ollamaServer.setDispatcher(ollama);
            ollamaServer.start();
            ollama.addModel("qwen3:30b", "b".repeat(64), 1000);
            try (var harness = new OperatorHarness(operatorClient, server, config, ollamaServer.url("/").toString())) {
                harness.start();
                client.resource(new SecretBuilder().withNewMetadata().withName("litellm-master-key").withNamespace("llm")
                        .endMetadata().addToStringData("masterKey", "sk-planted").build()).create();
                client.resource(client.getKubernetesSerialization().unmarshal("""
                        apiVersion: localmodels.io/v1alpha1
                        kind: LocalModel
                        metadata: {name: qwen3-30b, namespace: llm}
                        spec: {model: 'qwen3:30b', probe: {interval: 200ms}}
                        """, LocalModel.class)).create();
                var sts = await().until(() -> client.apps().statefulSets().inNamespace("llm").withName("qwen3-30b").get(),
                        s -> s != null);
                // first unscheduled, its claim not Bound: the operator reads the claim and lists its Events
                try (Kubelet kubelet = new Kubelet(client)) {
                    kubelet.pendingClaim(sts, 0);
                    kubelet.unschedulablePod(sts, 0, "0/3 nodes are available: 3 Insufficient memory.");
                    await().atMost(Duration.ofSeconds(20)).until(() -> phase(), Phase.SCHEDULING.value()::equals);
                    kubelet.readyPod(sts, 0);
                    await().atMost(Duration.ofSeconds(20)).until(() -> phase(), Phase.READY.value()::equals);
                }
                client.resource(client.getKubernetesSerialization().unmarshal("""
                        apiVersion: localmodels.io/v1alpha1
                        kind: ModelRouter
                        metadata: {name: gateway, namespace: llm}
                        spec:
                          models: [{name: 'qwen3:30b', backends: [{localModel: qwen3-30b}]}]
                          masterKeySecretRef: {name: litellm-master-key, key: masterKey}
                        """, ModelRouter.class)).create();
                // the router writes status after its ConfigMap: on a busy machine the operator could stop in between
                await().until(() -> client.configMaps().inNamespace("llm").withName("gateway-litellm").get() != null
                        && client.resources(ModelRouter.class).inNamespace("llm").withName("gateway").get().getStatus() != null);
                client.resources(LocalModel.class).inNamespace("llm").withName("qwen3-30b").delete();
                await().until(() -> client.resources(LocalModel.class).inNamespace("llm").withName("qwen3-30b").get() == null);
            }
        } finally {
            ollama.close();
            operatorClient.close();
        }
        return operatorRequests();
    }

    private String phase() {
        var lm = client.resources(LocalModel.class).inNamespace("llm").withName("qwen3-30b").get();
        return lm == null || lm.getStatus() == null ? null : lm.getStatus().getPhase();
    }

    private Set<Request> operatorRequests() throws InterruptedException {
        Set<Request> out = new LinkedHashSet<>();
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            String agent = r.getHeader("User-Agent");
            if (agent != null && agent.contains(AGENT)) {
                out.add(toRequest(r.getMethod(), r.getPath()));
            }
        }
        return out;
    }

    /** (namespace, group, resource, verb) of an API request, as RBAC sees it. */
    static Request toRequest(String method, String pathAndQuery) {
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        String query = pathAndQuery.contains("?") ? pathAndQuery.substring(pathAndQuery.indexOf('?') + 1) : "";
        List<String> parts = new ArrayList<>(List.of(path.replaceFirst("^/", "").split("/")));
        String group;
        if ("api".equals(parts.get(0))) {
            group = "";
            parts = parts.subList(2, parts.size());
        } else {
            group = parts.get(1);
            parts = parts.subList(3, parts.size());
        }
        String namespace = null;
        if (parts.size() >= 2 && "namespaces".equals(parts.get(0)) && parts.size() > 2) {
            namespace = parts.get(1);
            parts = parts.subList(2, parts.size());
        }
        String resource = parts.get(0);
        boolean named = parts.size() > 1;
        if (parts.size() > 2) {
            resource = resource + "/" + parts.get(2);
        }
        String verb = switch (method) {
            case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
        return new Request(namespace, group, resource, verb);
    }
}
