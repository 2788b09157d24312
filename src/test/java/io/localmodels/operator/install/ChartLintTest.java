package io.localmodels.operator.install;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code helm lint --strict} is clean for the default values and the main combinations. */
class ChartLintTest {

    @TempDir
    Path scratch;

    static Stream<Arguments> combinations() {
        return Stream.of(
                Arguments.of("defaults", Map.of()),
                Arguments.of("namespaced", Map.of("watchNamespaces", List.of("team-a", "team-b"))),
                Arguments.of("serviceMonitor and alerts", Map.of(
                        "serviceMonitor", Map.of("enabled", true),
                        "prometheusRule", Map.of("enabled", true))),
                Arguments.of("two replicas", Map.of("replicas", 2)),
                Arguments.of("two shards", Map.of("shards", List.of(
                        Map.of("name", "a", "selector", "localmodels.io/shard=a"),
                        Map.of("name", "b", "selector", "localmodels.io/shard in (b, c)")))),
                Arguments.of("single replica without leader election", Map.of(
                        "leaderElection", Map.of("enabled", false), "logFormat", "plain")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    void lintsStrictlyClean(String name, Map<String, Object> values) {
        LintResult result = OperatorChart.lintStrict(values, scratch);

        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).as("only informational messages")
                .allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void lintRejectsValuesTheSchemaForbids(String field, Map<String, Object> values) {
        LintResult result = OperatorChart.lintStrict(values, scratch);

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains(field);
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("logFormat", Map.of("logFormat", "xml")),
                Arguments.of("statusPeriod", Map.of("operator", Map.of("statusPeriod", "thirty seconds"))),
                Arguments.of("watchNamespaces", Map.of("watchNamespaces", List.of("Not_A_Namespace"))),
                Arguments.of("watchNamespaces", Map.of("watchNamespaces", List.of("team-a", "team-a"))),
                Arguments.of("replicas", Map.of("replicas", -1)),
                Arguments.of("shards", Map.of("shards", List.of(Map.of("name", "Shard_A", "selector", "a=b")))));
    }
}
