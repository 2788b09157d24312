package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.FakeOllamaServer;
import io.localmodels.operator.testing.LoadEvent;
import io.localmodels.operator.testing.MutableClock;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.CircuitBreakerSpec;
import io.localmodels.operator.api.ProbeSpec;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.ollama.OllamaClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The monitor against a fake Ollama: the first result at once, publishing coalesced, transitions immediate, slots
 * bounded.
 */
class HealthMonitorTest {

    private static final ResourceID ID = new ResourceID("qwen3", "llm");
    private static final Duration STATUS_PERIOD = Duration.ofSeconds(30);

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final FakeOllama ollama = new FakeOllama();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OkHttpClient http = OllamaClient.newHttpClient(16);
    private final AtomicInteger publishes = new AtomicInteger();
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private HealthMonitor monitor;

    @BeforeEach
    void start() {
        server.setDispatcher(ollama);
        monitor = newMonitor(8);
    }

    private HealthMonitor newMonitor(int concurrency) {
        OperatorConfig config = OperatorConfig.defaults().withStatusPeriod(STATUS_PERIOD).withProbeConcurrency(concurrency)
                .withClock(clock);
        HealthMonitor m = new HealthMonitor(config, http, registry, id -> publishes.incrementAndGet());
        m.setCircuitListener((id, transition) -> transitions.add(id.getName() + ": " + transition.text()));
        return m;
    }

    @AfterEach
    void stop() {
        monitor.close();
        http.dispatcher().cancelAll();
    }

    private ProbeTarget target(String interval, String think) {
        return target(interval, think, "qwen3:8b");
    }

    private ProbeTarget target(String interval, String think, String model) {
        ProbeSpec probe = new ProbeSpec();
        probe.setInterval(interval);
        probe.setTimeout("1s");
        probe.setThink(think);
        CircuitBreakerSpec circuit = new CircuitBreakerSpec();
        circuit.setMinimumProbes(4);
        circuit.setOpenDuration("60s");
        circuit.setHalfOpenProbes(2);
        return new ProbeTarget(server.url("/").toString(), model, probe, circuit);
    }

    private double probesDone() {
        return registry.find(ProbeMetrics.PROBES).counters().stream().mapToDouble(Counter::count).sum();
    }

    private void awaitMoreProbes(int more) {
        double seen = probesDone();
        await().atMost(Duration.ofSeconds(10)).until(() -> probesDone() >= seen + more);
    }

    private PublishedHealth published() {
        return monitor.published(ID).orElseThrow();
    }

    @Test
    void publishesCoalescedWhileNothingTransitionsAndAtOnceOnCircuitTransitions() {
        ollama.preload("qwen3:8b"); // a load would be published too (status says Loading): this test is about probes
        monitor.track(ID, target("50ms", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.published(ID).isPresent());
        assertThat(publishes).hasValue(1);
        assertThat(published().circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(published().healthy()).isTrue();
        assertThat(published().reason()).isEqualTo("ProbesSucceeding");
        assertThat(published().health().getLastResult()).isEqualTo("Success");
        assertThat(published().health().getLastProbeTime()).isEqualTo("2026-11-25T10:00:00Z");

        // every probe changes tokens/s, but the status period has not passed on the clock: held
        awaitMoreProbes(5);
        assertThat(publishes).hasValue(1);

        // what is not news (the window filling, timestamps) goes out with the heartbeat at the latest
        clock.advance(ModelHealth.HEARTBEAT);
        await().atMost(Duration.ofSeconds(10)).until(() -> publishes.get() == 2);
        assertThat(published().health().getProbes()).isGreaterThan(5);
        assertThat(published().health().getLastProbeTime()).isEqualTo("2026-11-25T10:10:00Z");
        awaitMoreProbes(3);
        assertThat(publishes).hasValue(2);

        // failures: held while the circuit stays closed, published the moment it opens
        ollama.mode(FakeOllama.Mode.FAIL);
        await().atMost(Duration.ofSeconds(10)).until(() -> publishes.get() == 3);
        assertThat(published().circuit()).isEqualTo(CircuitState.OPEN);
        assertThat(published().healthy()).isFalse();
        assertThat(published().reason()).isEqualTo("CircuitOpen");
        assertThat(published().message()).contains("HttpError: HTTP 500: llama runner process has terminated");
        assertThat(published().health().getLastResult()).isEqualTo("HttpError");
        assertThat(transitions).containsExactly("qwen3: Closed→Open");
        assertThat(registry.get(ProbeMetrics.CIRCUIT_STATE).gauge().value()).isEqualTo(2.0);

        // open: the schedule keeps ticking but no probe runs until the open duration has passed on the clock
        long chats = ollama.chats();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> ollama.chats() == chats);

        ollama.mode(FakeOllama.Mode.ANSWER);
        clock.advance(Duration.ofSeconds(61));
        await().atMost(Duration.ofSeconds(10)).until(() -> publishes.get() == 5);   // half-open, then closed
        assertThat(published().circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(transitions).containsExactly("qwen3: Closed→Open", "qwen3: Open→HalfOpen", "qwen3: HalfOpen→Closed");
        assertThat(published().healthy()).isTrue();
        assertThat(registry.get(ProbeMetrics.CIRCUIT_STATE).gauge().value()).isZero();
    }

    @Test
    void firstProbesRunAtOnceWaitingInLineForASlotNotForAnInterval() {
        monitor.close();
        monitor = newMonitor(1);
        ollama.preload("qwen3:8b");
        List<ResourceID> ids = List.of(new ResourceID("a", "llm"), new ResourceID("b", "llm"), new ResourceID("c", "llm"));
        ids.forEach(id -> monitor.track(id, target("1h", "off")));

        // one slot for three models probed hourly: each still has its first result long before an interval passed
        await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream().allMatch(id -> monitor.published(id).isPresent()));
        assertThat(ids).allSatisfy(id -> assertThat(monitor.published(id).orElseThrow().health().getLastResult())
                .isEqualTo("Success"));
        assertThat(publishes).as("each first result at once").hasValue(3);
        assertThat(ollama.chats()).as("one probe each; the next comes after about an hour").isEqualTo(3);
    }

    @Test
    void aModelLoadingDoesNotHoldAProbeSlot() throws Exception {
        monitor.close();
        monitor = newMonitor(1);
        ollama.preload("qwen3:8b");
        // a server of its own that tells when its client leaves: closing the monitor aborts the load, as Ollama does
        FakeOllama bigServer = new FakeOllama();
        bigServer.model("qwen3:30b").loadTime(Duration.ofMinutes(2));
        try (FakeOllamaServer big = new FakeOllamaServer(bigServer)) {
            ResourceID loading = new ResourceID("big", "llm");
            monitor.track(loading, new ProbeTarget(big.url("/").toString(), "qwen3:30b", target("1h", "off").probe(),
                    target("1h", "off").circuitBreaker()));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !bigServer.loads("qwen3:30b", LoadEvent.Kind.STARTED).isEmpty());

            // the one slot is free while the big model loads: a model already in memory gets its first result now
            monitor.track(ID, target("1h", "off"));
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.published(ID).isPresent());
            assertThat(published().health().getLastResult()).isEqualTo("Success");
            assertThat(bigServer.loaded("qwen3:30b")).as("still loading").isFalse();
            assertThat(monitor.published(loading)).isEmpty();

            monitor.close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !bigServer.loads("qwen3:30b", LoadEvent.Kind.ABORTED).isEmpty());
        }
    }

    @Test
    void aCycleBackFromItsLoadProbesWithASlot() {
        monitor.close();
        monitor = newMonitor(1);
        ollama.model("qwen3:30b").loadTime(Duration.ofMillis(300));
        ResourceID loading = new ResourceID("big", "llm");
        monitor.track(loading, target("1h", "off", "qwen3:30b"));

        // the load ends, the cycle takes the slot back and probes: the first result carries the load
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.published(loading).isPresent());
        assertThat(monitor.published(loading).orElseThrow().health().getLastResult()).isEqualTo("Success");
        assertThat(ollama.loads("qwen3:30b", LoadEvent.Kind.STARTED)).hasSize(1);
    }

    @Test
    void trackingTheSameTargetAgainIsANoOpAndAChangedOneStartsAfresh() {
        monitor.track(ID, target("50ms", "off"));
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.published(ID).isPresent());
        PublishedHealth first = published();

        monitor.track(ID, target("50ms", "off"));              // equal content, new spec objects
        assertThat(monitor.published(ID)).containsSame(first);

        monitor.track(ID, target("60ms", "off"));
        assertThat(monitor.published(ID)).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.published(ID).isPresent());
        assertThat(monitor.debugView()).singleElement().satisfies(v -> {
            assertThat(v.interval()).isEqualTo("60ms");
            assertThat(v.think()).isEqualTo("false");
            assertThat(v.name()).isEqualTo("qwen3");
            assertThat(v.namespace()).isEqualTo("llm");
        });
        // one set of gauges, not two
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.find(ProbeMetrics.SUCCESS_RATE).gauges().size() == 1);
    }

    @Test
    void untrackStopsProbingAndRemovesTheModelsMeters() {
        monitor.track(ID, target("50ms", null));
        awaitMoreProbes(2);
        assertThat(registry.find(ProbeMetrics.SUCCESS_RATE).tag("name", "qwen3").gauge().value()).isEqualTo(1.0);
        assertThat(registry.find(ProbeMetrics.DURATION).tag("result", "Success").timer()).isNotNull();

        monitor.untrack(ID);
        assertThat(monitor.published(ID)).isEmpty();
        // only the fleet-wide latency histogram stays: it has no series of its own per model
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.getMeters().stream()
                .allMatch(m -> m.getId().getTag("name") == null && (m.getId().getName().startsWith(ProbeMetrics.DURATION)
                        || m.getId().getName().equals(ProbeMetrics.LOAD_EVENTS)))); // the fleet's meters stay
        long chats = ollama.chats();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> ollama.chats() <= chats + 1);
        assertThat(monitor.debugView()).isEmpty();
    }

    @Test
    void probesInFlightAreBoundedOverAllModels() {
        monitor.close();
        monitor = newMonitor(2);
        ollama.mode(FakeOllama.Mode.STALL);
        ollama.preload("qwen3:8b");
        for (int i = 0; i < 6; i++) {
            monitor.track(new ResourceID("m" + i, "llm"), target("20ms", "off"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> ollama.chats() == 2);
        // stalled probes hold both slots until their 1 s timeout: nobody else gets in meanwhile
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> ollama.chats() == 2);
        // the server answers GET / and lists the model in memory: the stalled probes were waiting, not failing
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(ProbeMetrics.PROBES).tag("result", "Busy")
                .counters().stream().mapToDouble(Counter::count).sum() > 0);
        assertThat(registry.find(ProbeMetrics.PROBES).tag("result", "Timeout").counters()).isEmpty();
    }

    @Test
    void invalidTargetsAreRejectedWithTheField() {
        ProbeTarget bad = target("often", null);
        assertThatThrownBy(() -> monitor.track(ID, bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("spec.probe.interval:");
        assertThatThrownBy(() -> monitor.track(ID, new ProbeTarget("gpu-box:11434", "m", null, null)))
                .hasMessageStartingWith("endpoint: not an http(s) URL");
        assertThat(monitor.debugView()).isEmpty();
    }
}
