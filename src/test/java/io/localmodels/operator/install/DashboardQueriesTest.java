package io.localmodels.operator.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.FakeLiteLlm;
import io.localmodels.operator.testing.OperatorWorld;
import io.localmodels.operator.testing.SmallFleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard reads only what the operator exports: every metric and label its panels and variables name
 * is on a scrape of {@code /metrics} of a running operator with a small fleet, a failed reconcile included (JOSDK's
 * failure counter has no series before one) and users' traffic through the fleet's ModelRouter that stands in for
 * probes (the skip counters have no series before the first skip). Not a hand-kept list: a renamed metric fails here.
 */
class DashboardQueriesTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? ");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(Duration.ofSeconds(1)));

    static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(Files.readString(GeneratedFiles.CHART_DASHBOARD));
    }

    /** Every query of the dashboard: panel targets and variable queries. */
    static List<String> queries(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        dashboard.get("panels").forEach(p -> p.path("targets").forEach(t -> out.add(t.get("expr").asText())));
        dashboard.get("templating").get("list").forEach(v -> {
            if (v.get("type").asText().equals("query")) {
                out.add(v.get("query").get("query").asText());
            }
        });
        return out;
    }

    @Test
    void everyMetricAndLabelItQueriesIsOnARealScrape() throws Exception {
        // one StatefulSet create is refused (a 403: the client retries 5xx answers itself): that reconcile fails and
        // is retried, so JOSDK's failure counter has a series
        world.server().expect().post().withPath("/apis/apps/v1/namespaces/llm/statefulsets")
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\",\"message\":"
                        + "\"statefulsets.apps is forbidden: admission denied\"}").once();
        try (SmallFleet fleet = new SmallFleet(world)) {
            // the gateway's proxy pod: users' successful requests to qwen3-30b every period, so its probes are skipped
            FakeLiteLlm proxy = world.proxyPod("gateway", "gateway-7d9f-a");
            proxy.betweenScrapes(() -> proxy.succeed(SmallFleet.NS + "/qwen3-30b", 10, Duration.ofMillis(800)));
            HttpClient http = HttpClient.newHttpClient();
            URI metrics = URI.create("http://localhost:" + fleet.http.port() + "/metrics");
            Map<String, Set<String>> exported = await().atMost(Duration.ofSeconds(60)).until(
                    () -> series(http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body()),
                    s -> s.containsKey("operator_sdk_reconciliations_failed_total")
                            && s.containsKey("localmodels_probe_skipped_total"));

            Map<String, String> problems = new TreeMap<>();
            for (String query : queries(dashboard())) {
                PromQlNames names = PromQlNames.of(query);
                assertThat(names.metrics()).as("metrics of %s", query).isNotEmpty();
                Set<String> labelsThere = new HashSet<>();
                for (String metric : names.metrics()) {
                    if (!exported.containsKey(metric)) {
                        problems.put(metric, "not exported, queried by " + query);
                    } else {
                        labelsThere.addAll(exported.get(metric));
                    }
                }
                for (String label : names.labels()) {
                    if (!labelsThere.isEmpty() && !labelsThere.contains(label)) {
                        problems.put(label, "no such label on " + names.metrics() + ", queried by " + query);
                    }
                }
            }
            assertThat(problems).as("names the dashboard queries that the operator's /metrics lacks").isEmpty();
        }
    }

    @Test
    void theParserFindsTheNamesInTheShapesTheDashboardUses() {
        PromQlNames p95 = PromQlNames.of("histogram_quantile(0.95, sum by (namespace, name, le) "
                + "(rate(localmodels_probe_duration_seconds_bucket{namespace=~\"$namespace\", result=\"Success\"}[$__rate_interval])))");
        assertThat(p95.metrics()).containsExactly("localmodels_probe_duration_seconds_bucket");
        assertThat(p95.labels()).containsExactlyInAnyOrder("namespace", "name", "le", "result");

        PromQlNames bare = PromQlNames.of("operator_sdk_reconciliations_queue_size_localmodel");
        assertThat(bare.metrics()).containsExactly("operator_sdk_reconciliations_queue_size_localmodel");

        PromQlNames variable = PromQlNames.of("label_values(localmodels_model_circuit_state{namespace=~\"$namespace\"}, name)");
        assertThat(variable.metrics()).containsExactly("localmodels_model_circuit_state");
        assertThat(variable.labels()).containsExactlyInAnyOrder("namespace", "name");

        PromQlNames both = PromQlNames.of("a_total / on (kind) b_total offset 5m > bool 0");
        assertThat(both.metrics()).containsExactlyInAnyOrder("a_total", "b_total");
        assertThat(both.labels()).containsExactly("kind");
    }

    @Test
    void theJsonIsADashboardWithItsVariablesAndPanelsOnTheGrid() throws Exception {
        JsonNode dashboard = dashboard();
        List<String> variables = new ArrayList<>();
        dashboard.get("templating").get("list").forEach(v -> variables.add(v.get("name").asText()));
        assertThat(variables).containsExactly("datasource", "namespace", "name");

        Set<Integer> ids = new TreeSet<>();
        dashboard.get("panels").forEach(p -> {
            assertThat(ids.add(p.get("id").asInt())).as("panel id %s is unique", p.get("id")).isTrue();
            JsonNode grid = p.get("gridPos");
            assertThat(grid.get("x").asInt() + grid.get("w").asInt()).as(p.get("title").asText()).isLessThanOrEqualTo(24);
            if (!p.get("type").asText().equals("row")) {
                assertThat(p.get("datasource").get("uid").asText()).isEqualTo("${datasource}");
                assertThat(p.get("targets")).as(p.get("title").asText()).isNotEmpty();
                p.get("targets").forEach(t -> assertThat(t.get("datasource").get("uid").asText()).isEqualTo("${datasource}"));
            }
        });
        List<String> titles = new ArrayList<>();
        dashboard.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        assertThat(titles).contains("Probe latency p50", "Probe latency p95", "Fleet probe latency p95 (all models)", "Success rate (probe window)",
                "Circuit state", "Probes by result", "Loads and reloads", "GPU offload (share in VRAM)", "Pull progress",
                "Router backends: healthy, left out, all", "Traffic vs probes",
                "GPU time: saved by traffic vs spent on probes", "Reconciles per second", "Reconcile errors",
                "Work queue and reconciles in flight");
    }

    /** Each sample name of a Prometheus text scrape with the label names its series carry. */
    static Map<String, Set<String>> series(String scrape) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Set<String> labels = out.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.add(l.group(1));
                }
            }
        }
        return out;
    }
}
