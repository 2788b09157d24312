package io.localmodels.operator.faults;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.runtime.LocalModelsOperator;
import io.localmodels.operator.testing.Kubelet;
import io.localmodels.operator.testing.MockCluster;
import io.localmodels.operator.testing.OperatorHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two operator replicas against one API server, each with its own fake Ollama and its own client (told apart by
 * user agent): only the lease holder reconciles, probes and writes; when it stops, the other takes over.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {

    static final String LEASE = "localmodels-operator-leader";

    KubernetesClient client;
    KubernetesMockServer server;

    /** One operator replica: its client, its fake Ollama and the operator. */
    final class Replica implements AutoCloseable {
        final String identity;
        final KubernetesClient client;
        final FaultyOllama ollama = new FaultyOllama("qwen3:8b");
        final MockWebServer ollamaServer = new MockWebServer();
        final LocalModelsOperator operator;
        boolean closed;

        Replica(String identity) throws IOException {
            this.identity = identity;
            this.client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(LeaderElectionTest.this.client.getConfiguration())
                    .withUserAgent(identity).build()).build();
            ollamaServer.setDispatcher(ollama);
            ollamaServer.start();
            LeaderElectionConfiguration election = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE)
                    .withLeaseNamespace("llm").withIdentity(identity)
                    .withLeaseDuration(Duration.ofSeconds(2)).withRenewDeadline(Duration.ofMillis(1500))
                    .withRetryPeriod(Duration.ofMillis(200))
                    // the default exits the JVM when leadership ends
                    .withExitOnStopLeading(false)
                    .build();
            OperatorConfig config = OperatorConfig.defaults().withStatusPeriod(Duration.ofSeconds(1));
            this.operator = new LocalModelsOperator(client, config,
                    OperatorHarness.fakeAddressing(ollamaServer.url("/").toString()), new SimpleMeterRegistry(),
                    Optional.of(election));
        }

        Replica start() {
            operator.start();
            return this;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                operator.close();
                client.close();
                ollama.close();
                ollamaServer.close();
            }
        }
    }

    private Replica a;
    private Replica b;
    private final List<RecordedRequest> journal = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws IOException {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    /** Writes a replica sent since the journal was last drained, leaving out its own lease upkeep. */
    private List<String> writesBy(String identity) {
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                journal.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return journal.stream()
                .filter(r -> r.getHeader("User-Agent") != null && r.getHeader("User-Agent").startsWith(identity))
                .filter(r -> !"GET".equals(r.getMethod()))
                .filter(r -> !r.getPath().contains("/leases") && !r.getPath().contains("selfsubjectrulesreviews"))
                .map(r -> r.getMethod() + " " + r.getPath())
                .toList();
    }

    private String holder() {
        Lease lease = client.leases().inNamespace("llm").withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private String lastProbeTime() {
        LocalModel lm = ModelSpecs.get(client, "m");
        return lm == null || lm.getStatus() == null || lm.getStatus().getHealth() == null
                ? null : lm.getStatus().getHealth().getLastProbeTime();
    }

    @Test
    void onlyTheLeaderProbesAndWritesAndTheOtherTakesOverWhenItStops() throws IOException {
        MockCluster.installCrds(client);
        // JOSDK checks it may use leases before it campaigns
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
                        .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*")
                        .endResourceRule().withIncomplete(false).endStatus().build())
                .always();
        a = new Replica("operator-a").start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "operator-a".equals(holder()));
        b = new Replica("operator-b").start();

        client.resource(ModelSpecs.managed(client, "m")).create();
        StatefulSet sts = await().atMost(Duration.ofSeconds(10))
                .until(() -> client.apps().statefulSets().inNamespace("llm").withName("m").get(), s -> s != null);
        try (Kubelet kubelet = new Kubelet(client)) {
            kubelet.readyPod(sts, 0);
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                LocalModel lm = ModelSpecs.get(client, "m");
                return lm.getStatus() != null && "Ready".equals(lm.getStatus().getPhase());
            });
        }

        // the follower watches but neither pulls, nor probes, nor writes
        long probesByA = a.ollama.chats();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> b.ollama.chats() == 0 && b.ollama.fake.tagsRequests() == 0 && writesBy("operator-b").isEmpty());
        assertThat(a.ollama.chats()).isGreaterThan(probesByA);
        assertThat(writesBy("operator-a")).anySatisfy(w -> assertThat(w).startsWith("POST /apis/apps/v1/namespaces/llm/statefulsets"));
        assertThat(holder()).isEqualTo("operator-a");

        // the leader stops and releases its lease: the follower takes over, reconciles and probes
        a.close();
        long probesByAAtStop = a.ollama.chats();
        String probedBefore = lastProbeTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> "operator-b".equals(holder()));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.ollama.chats() > 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> writesBy("operator-b").stream().anyMatch(w -> w.endsWith("/localmodels/m/status")));
        // the lease is handed over at once, so the new leader's first write may fall in the same second
        await().atMost(Duration.ofSeconds(10)).until(() -> !probedBefore.equals(lastProbeTime()));
        assertThat(a.ollama.chats()).isEqualTo(probesByAAtStop);
        assertThat(ModelSpecs.get(client, "m").getStatus().getPhase()).isEqualTo("Ready");
    }
}
