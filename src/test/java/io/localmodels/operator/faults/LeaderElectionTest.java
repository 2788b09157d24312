package io.localmodels.operator.faults;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.Kubelet;
import io.localmodels.operator.testing.OperatorHarness;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorWorld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two operator replicas against one API server, each with its own fake Ollama and its own client (told apart by
 * user agent): only the lease holder reconciles, probes and writes; when it stops, the other takes over.
 */
class LeaderElectionTest {

    static final String LEASE = "localmodels-operator-leader";

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(Duration.ofSeconds(1)));
    KubernetesClient client;
    ModelsInCluster models;
    KubernetesMockServer server;

    /** One operator replica: its fake Ollama and the operator (with a client of its own, see the world). */
    record Replica(FaultyOllama ollama, OperatorHarness operator) {
    }

    private Replica a;
    private Replica b;
    private final List<RecordedRequest> journal = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        client = world.client();
        models = world.models();
        server = world.server();
    }

    private Replica replica(String identity) {
        LeaderElectionConfiguration election = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE)
                .withLeaseNamespace("llm").withIdentity(identity)
                .withLeaseDuration(Duration.ofSeconds(2)).withRenewDeadline(Duration.ofMillis(1500))
                .withRetryPeriod(Duration.ofMillis(200))
                // the default exits the JVM when leadership ends
                .withExitOnStopLeading(false)
                .build();
        FaultyOllama ollama = new FaultyOllama("qwen3:8b");
        return new Replica(ollama, world.startReplica(election, ollama));
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

    @Test
    void onlyTheLeaderProbesAndWritesAndTheOtherTakesOverWhenItStops() {
        a = replica("operator-a");
        await().atMost(Duration.ofSeconds(10)).until(() -> "operator-a".equals(holder()));
        b = replica("operator-b");

        client.resource(ModelSpecs.managed(client, "m")).create();
        try (Kubelet kubelet = new Kubelet(client)) {
            kubelet.readyPod(models.awaitStatefulSet("m"), 0);
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                LocalModel lm = models.get("m");
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
        a.operator.close();
        long probesByAAtStop = a.ollama.chats();
        String probedBefore = models.health("m").getLastProbeTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> "operator-b".equals(holder()));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.ollama.chats() > 3);
        // its first results match the status the old leader wrote: compared with it, not written again
        assertThat(models.health("m").getLastProbeTime()).isEqualTo(probedBefore);
        // news is written by the new leader: its probes start failing and the circuit opens
        b.ollama.fault(FaultyOllama.Fault.FAIL);
        await().atMost(Duration.ofSeconds(10)).until(() -> writesBy("operator-b").stream().anyMatch(w -> w.endsWith("/localmodels/m/status")));
        await().atMost(Duration.ofSeconds(10)).until(() -> !probedBefore.equals(models.health("m").getLastProbeTime()));
        assertThat(a.ollama.chats()).isEqualTo(probesByAAtStop);
    }
}
