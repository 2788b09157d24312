package io.localmodels.operator.traffic;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.testing.FakeLiteLlm;
import io.localmodels.operator.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Counter growth between two readings of the fake proxy's page: restarts, new series, client errors, p95. */
class BackendTrafficTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final FakeLiteLlm proxy = new FakeLiteLlm(clock);

    private Map<String, BackendTraffic> growth(ProxyReading before, ProxyReading after) {
        Map<String, BackendTraffic> out = new HashMap<>();
        BackendTraffic.addGrowth(before, after, out);
        return out;
    }

    @Test
    void countsWhatGrewBetweenTwoReadingsPerBackend() {
        proxy.succeed("llm/a", 10, Duration.ofMillis(400)).succeed("llm/b", 3, Duration.ofSeconds(2));
        ProxyReading first = ProxyReading.parse(proxy.page());
        proxy.succeed("llm/a", 18, Duration.ofMillis(400)).fail("llm/a", 2, "500", "Ollama_chat.InternalServerError")
                .fail("llm/a", 1, "None", "Ollama_chat.APIConnectionError")
                .fail("llm/a", 4, "400", "Ollama_chat.BadRequestError");

        BackendTraffic a = growth(first, ProxyReading.parse(proxy.page())).get("llm/a");

        assertThat(a.requests).isEqualTo(25);
        assertThat(a.successes).isEqualTo(18);
        assertThat(a.backendFailures).as("5xx and no answer are the backend's").isEqualTo(3);
        assertThat(a.clientErrors).as("a bad request is the client's").isEqualTo(4);
        assertThat(a.failuresByClass).containsEntry("Ollama_chat.InternalServerError", 2L)
                .containsEntry("Ollama_chat.APIConnectionError", 1L).containsEntry("Ollama_chat.BadRequestError", 4L);
        assertThat(a.state).as("litellm_deployment_state after a failure: partial outage").isEqualTo(1);
        assertThat(a.p95Millis()).isBetween(250L, 500L);
        assertThat(growth(first, ProxyReading.parse(proxy.page())).get("llm/b").requests).isZero();
    }

    @Test
    void aRestartedProxyCountsFromZeroNeverNegative() {
        proxy.succeed("llm/a", 100, Duration.ofMillis(100));
        ProxyReading before = ProxyReading.parse(proxy.page());
        clock.advance(Duration.ofSeconds(30));
        proxy.restart();
        proxy.succeed("llm/a", 7, Duration.ofMillis(100));

        BackendTraffic a = growth(before, ProxyReading.parse(proxy.page())).get("llm/a");

        assertThat(a.requests).isEqualTo(7);
        assertThat(a.successes).isEqualTo(7);
    }

    @Test
    void aRestartThatAlreadyOvertookTheOldCountIsToldByItsCreationTime() {
        proxy.succeed("llm/a", 5, Duration.ofMillis(100));
        ProxyReading before = ProxyReading.parse(proxy.page());
        clock.advance(Duration.ofSeconds(30));
        proxy.restart();
        proxy.succeed("llm/a", 9, Duration.ofMillis(100));

        assertThat(growth(before, ProxyReading.parse(proxy.page())).get("llm/a").requests)
                .as("9, not 9 - 5").isEqualTo(9);
    }

    @Test
    void theOperatorsIdsMapToLocalModels() {
        assertThat(TrafficMonitor.backendOf("llm/qwen3-30b")).contains(new ResourceID("qwen3-30b", "llm"));
        assertThat(TrafficMonitor.backendOf("llm/qwen3-30b@default")).contains(new ResourceID("qwen3-30b", "llm"));
        assertThat(TrafficMonitor.backendOf("a1b2c3")).isEmpty();
    }

    @Test
    void aPageThatIsNotPrometheusTextIsAFailedRead() {
        assertThatThrownBy(() -> ProxyReading.parse("<html>login</html>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1");
    }
}
