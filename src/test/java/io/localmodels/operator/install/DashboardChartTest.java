package io.localmodels.operator.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard in the chart: a ConfigMap the kube-prometheus-stack sidecar finds by its label, carrying the
 * chart's dashboards/localmodels.json as it is; values turn it off, change the label and the namespace; lint is clean
 * either way.
 */
class DashboardChartTest {

    private static final String NAME = OperatorChart.RELEASE + "-dashboard";

    @TempDir
    static Path scratch;

    private static ConfigMap dashboard(Map<String, Object> values) {
        return OperatorChart.render(values, scratch).all(ConfigMap.class).stream()
                .filter(cm -> cm.getMetadata().getName().equals(NAME)).findFirst().orElse(null);
    }

    @Test
    void byDefaultTheSidecarFindsTheDashboardInTheReleaseNamespace() throws Exception {
        ConfigMap cm = dashboard(Map.of());

        assertThat(cm).isNotNull();
        assertThat(cm.getMetadata().getNamespace()).isEqualTo(OperatorChart.NAMESPACE);
        assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1")
                .containsEntry("app.kubernetes.io/part-of", "localmodels");
        String json = cm.getData().get("localmodels.json");
        assertThat(json).isEqualTo(Files.readString(GeneratedFiles.CHART_DASHBOARD).strip());
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertThat(parsed.get("uid").asText()).isEqualTo("localmodels-fleet");
        // Grafana's own templating, not Helm's: legends such as {{namespace}}/{{name}} arrive untouched
        assertThat(json).contains("\"legendFormat\": \"{{namespace}}/{{name}}\"");
    }

    @Test
    void turnedOffThereIsNoDashboard() {
        assertThat(dashboard(Map.of("grafanaDashboard", Map.of("enabled", false)))).isNull();
    }

    @Test
    void labelNamespaceAndFolderFollowTheValues() {
        ConfigMap cm = dashboard(Map.of("grafanaDashboard", Map.of("label", "example.com/dashboard",
                "labelValue", "localmodels", "namespace", "monitoring",
                "annotations", Map.of("grafana_folder", "LocalModels"))));

        assertThat(cm.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(cm.getMetadata().getLabels()).containsEntry("example.com/dashboard", "localmodels")
                .doesNotContainKey("grafana_dashboard");
        assertThat(cm.getMetadata().getAnnotations()).containsEntry("grafana_folder", "LocalModels");
    }

    static Stream<Arguments> combinations() {
        return Stream.of(
                Arguments.of("dashboard on", Map.of()),
                Arguments.of("dashboard off", Map.of("grafanaDashboard", Map.of("enabled", false))),
                Arguments.of("dashboard elsewhere", Map.of("grafanaDashboard", Map.of("namespace", "monitoring",
                        "label", "example.com/dashboard", "labelValue", "yes"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    void lintsStrictlyClean(String name, Map<String, Object> values) {
        LintResult result = OperatorChart.lintStrict(values, scratch);

        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
    }

    @Test
    void aLabelValueKubernetesWouldRejectFailsLint() {
        LintResult result = OperatorChart.lintStrict(Map.of("grafanaDashboard", Map.of("labelValue", "not a value")),
                scratch);

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("labelValue");
    }
}
