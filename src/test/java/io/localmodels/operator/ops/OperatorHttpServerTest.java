package io.localmodels.operator.ops;

import io.localmodels.operator.health.ProbeTarget;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.ProbeSpec;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.health.HealthMonitor;
import io.localmodels.operator.ollama.OllamaClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator's port, with a real HealthMonitor probing a fake Ollama behind /metrics and /debug/models. */
class OperatorHttpServerTest {

    @StartStop
    private final MockWebServer ollama = new MockWebServer();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private final HttpClient client = HttpClient.newHttpClient();
    private HealthMonitor monitor;
    private OperatorHttpServer server;

    @BeforeEach
    void start() {
        ollama.setDispatcher(new FakeOllama());
        monitor = new HealthMonitor(OperatorConfig.defaults(), OllamaClient.newHttpClient(4), registry, id -> { });
        server = new OperatorHttpServer(0, registry, ready::get, monitor::debugView,
                refresh -> "<p>reloads every " + refresh + " s</p>", 10);
    }

    @AfterEach
    void stop() {
        server.close();
        monitor.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndReadiness() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
        ready.set(true);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/healthzz").statusCode()).isEqualTo(404);
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void fleetPageIsHtmlThatMayRunNoScriptWithTheReloadPeriodAsked() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p -> assertThat(p)
                .startsWith("default-src 'none'").doesNotContain("script-src"));
        assertThat(page.body()).isEqualTo("<p>reloads every 10 s</p>");
        assertThat(get("/?refresh=2").body()).isEqualTo("<p>reloads every 2 s</p>");
        assertThat(get("/?x=1&refresh=60").body()).isEqualTo("<p>reloads every 60 s</p>");
        // out of range or not a number: the default
        assertThat(get("/?refresh=0").body()).isEqualTo("<p>reloads every 10 s</p>");
        assertThat(get("/?refresh=%3Cscript%3E").body()).isEqualTo("<p>reloads every 10 s</p>");
        assertThat(get("/index.html").statusCode()).isEqualTo(404);
    }

    @Test
    void metricsAndDebugViewOfProbedModels() throws Exception {
        ProbeSpec probe = new ProbeSpec();
        probe.setInterval("50ms");
        ResourceID id = new ResourceID("qwen3-30b", "llm");
        monitor.track(id, new ProbeTarget(ollama.url("/").toString(), "qwen3:30b", probe, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.published(id).isPresent());

        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        String tags = "model=\"qwen3:30b\",name=\"qwen3-30b\",namespace=\"llm\"";
        // probes are counted per replica (an external server is the one replica "server"), gauges per model
        String replica = tags + ",replica=\"server\"";
        assertThat(metrics.body())
                .contains("localmodels_probe_duration_seconds_bucket{result=\"Success\",le=\"0.1\"}")
                .contains("localmodels_probe_duration_seconds_count{result=\"Success\"}")
                .containsPattern("localmodels_model_latency_p50_seconds\\{" + java.util.regex.Pattern.quote(tags) + "} 0\\.\\d")
                .containsPattern("localmodels_model_latency_p95_seconds\\{" + java.util.regex.Pattern.quote(tags) + "} 0\\.\\d")
                .doesNotContain("localmodels_probe_duration_seconds_bucket{model=")
                .containsPattern("localmodels_probe_total\\{" + java.util.regex.Pattern.quote(replica) + ",result=\"Success\"} [1-9]")
                .contains("localmodels_model_success_rate{" + tags + "} 1.0")
                .contains("localmodels_model_circuit_state{" + tags + "} 0.0");

        HttpResponse<String> debug = get("/debug/models");
        assertThat(debug.statusCode()).isEqualTo(200);
        JsonNode models = new ObjectMapper().readTree(debug.body());
        assertThat(models).hasSize(1);
        JsonNode model = models.get(0);
        assertThat(model.get("namespace").asText()).isEqualTo("llm");
        assertThat(model.get("name").asText()).isEqualTo("qwen3-30b");
        assertThat(model.get("model").asText()).isEqualTo("qwen3:30b");
        assertThat(model.get("replica").asText()).isEqualTo("server");
        assertThat(model.get("circuit").asText()).isEqualTo("Closed");
        assertThat(model.get("healthy").asBoolean()).isTrue();
        assertThat(model.get("think").asText()).isEqualTo("-");     // the fake model cannot think: nothing sent
        assertThat(model.get("health").get("lastResult").asText()).isEqualTo("Success");
        assertThat(model.get("health").get("successRate").asDouble()).isEqualTo(1.0);
        assertThat(model.get("window").get(0).get("failure").asBoolean()).isFalse();
        assertThat(model.get("window").get(0).has("latencyMs")).isTrue();

        monitor.untrack(id);
        await().atMost(Duration.ofSeconds(5)).until(() -> !get("/metrics").body().contains("qwen3-30b"));
        assertThat(get("/debug/models").body().strip()).isEqualTo("[ ]");
    }
}
