package io.localmodels.operator.faults;

import io.localmodels.operator.testing.StatusConditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.faults.FaultyOllama.Fault;
import io.localmodels.operator.testing.OperatorHarness;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorWorld;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ollama servers that misbehave, seen through the real operator: each external LocalModel has its own server, so
 * one operator shows that a broken neighbour changes nothing for the others.
 */
class OllamaFaultsTest {

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(Duration.ofSeconds(1)));
    KubernetesClient client;
    ModelsInCluster models;
    final List<MockWebServer> servers = new ArrayList<>();
    OperatorHarness harness;

    @BeforeEach
    void setUp() {
        client = world.client();
        models = world.models();
    }

    /** Threads okhttp is running a call to {@code server} on (it names them after the call's URL). */
    private static long callThreadsTo(MockWebServer server) {
        // okhttp names a thread running a call "OkHttp http://host:port/..."
        String prefix = "OkHttp " + server.url("/");
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    private FaultyOllama ollama(String name, Fault fault) {
        FaultyOllama fake = new FaultyOllama("qwen3:8b");
        fake.fault(fault);
        MockWebServer s = world.serve(fake);
        servers.add(s);
        client.resource(ModelSpecs.external(client, name, s.url("/").toString())).create();
        return fake;
    }

    @Test
    void resetsAndBrokenJsonAreClassifiedWhileTheHealthyNeighbourStaysReady() {
        ollama("reset", Fault.RESET);
        ollama("truncated", Fault.TRUNCATED_JSON);
        ollama("garbled", Fault.GARBLED);
        ollama("healthy", Fault.NONE);
        harness = world.start();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(models.health("reset").getLastResult()).isEqualTo("ConnectionError");
            assertThat(models.health("truncated").getLastResult()).isEqualTo("MalformedResponse");
            assertThat(models.health("truncated").getLastError()).contains("not an Ollama chat answer");
            assertThat(models.health("garbled").getLastResult()).isEqualTo("MalformedResponse");
            for (String broken : List.of("reset", "truncated", "garbled")) {
                assertThat(models.health(broken).getCircuit()).as(broken).isEqualTo("Open");
                assertThat(condition(broken, "Ready").getStatus()).as(broken).isEqualTo("False");
            }
            assertThat(models.get("healthy").getStatus().getPhase()).isEqualTo("Ready");
            assertThat(models.health("healthy").getCircuit()).isEqualTo("Closed");
        });
    }

    @Test
    void hangingAndTricklingServersEndInTimeoutAndTheModelRecovers() {
        FaultyOllama hanging = ollama("hanging", Fault.HANG);
        FaultyOllama trickling = ollama("trickling", Fault.TRICKLE);
        harness = world.start();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (String name : List.of("hanging", "trickling")) {
                assertThat(models.health(name).getLastResult()).as(name).isEqualTo("Timeout");
                assertThat(models.health(name).getLastError()).as(name).contains("no answer within");
                assertThat(models.health(name).getCircuit()).as(name).isEqualTo("Open");
            }
        });
        // one probe at a time per model, each ended by its deadline: probes every 100 ms with a 400 ms timeout
        // never pile up threads on a dead server
        MockWebServer hangingServer = servers.get(0);
        await().atMost(Duration.ofSeconds(3)).until(() -> callThreadsTo(hangingServer) == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> callThreadsTo(hangingServer) <= 1);
        // a probe stuck on a dead server would hold the model's only in-flight slot: it could never recover
        hanging.fault(Fault.NONE);
        trickling.fault(Fault.NONE);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(models.get("hanging").getStatus().getPhase()).isEqualTo("Ready");
            assertThat(models.get("trickling").getStatus().getPhase()).isEqualTo("Ready");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> callThreadsTo(hangingServer) == 0);
    }

    @Test
    void aFlappingServerOpensAndClosesTheCircuitWithEventsAndBoundedStatusWrites() {
        FaultyOllama flappy = ollama("flappy", Fault.NONE);
        harness = world.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> "Ready".equals(models.phase("flappy")));
        harness.drainRequests();

        long start = System.nanoTime();
        long probesBefore = flappy.chats();
        for (int flap = 1; flap <= 2; flap++) {
            flappy.fault(Fault.FAIL);
            await().atMost(Duration.ofSeconds(10)).until(() -> "Open".equals(models.health("flappy").getCircuit()));
            assertThat(condition("flappy", "Healthy").getReason()).isEqualTo("CircuitOpen");
            flappy.fault(Fault.NONE);
            await().atMost(Duration.ofSeconds(10)).until(() -> "Closed".equals(models.health("flappy").getCircuit())
                    && "Ready".equals(models.phase("flappy")));
        }
        // then steady: answers whose latency differs every time, so every probe changes the statistics
        long steadyFrom = flappy.chats();
        await().atMost(Duration.ofSeconds(10)).until(() -> flappy.chats() >= steadyFrom + 20);
        double seconds = (System.nanoTime() - start) / 1e9;
        long probes = flappy.chats() - probesBefore;

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<String> reasons = models.events("flappy").stream().map(e -> e.getReason() + " " + e.getMessage()).toList();
            assertThat(reasons).filteredOn(r -> r.startsWith("CircuitOpened")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(reasons).filteredOn(r -> r.contains("HalfOpen→Closed")).hasSizeGreaterThanOrEqualTo(2);
        });
        // status follows the transitions at once, otherwise at most once per status period (1 s): probes every
        // 100 ms must not each cost a write
        long statusWrites = harness.drainRequests().stream()
                .filter(r -> r.startsWith("PUT ") && r.endsWith("/localmodels/flappy/status")).count();
        assertThat(probes).isGreaterThanOrEqualTo(20);
        assertThat(statusWrites).as("status writes over %.1f s with %d probes", seconds, probes)
                .isLessThanOrEqualTo(2 * 4 + Math.round(seconds) + 2);
    }

    private Condition condition(String name, String type) {
        return StatusConditions.condition(models.get(name), type);
    }
}
