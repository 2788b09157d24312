package io.localmodels.operator.install;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kubectl and Helm read YAML 1.1, where a bare {@code on}, {@code yes} or {@code off} key is a boolean: a CRD
 * property named {@code on} reached the API server as {@code "true"}. Every file we ship is read here with a YAML
 * 1.1 reader (SnakeYAML), and any mapping key that does not come back as a string fails.
 */
class Yaml11KeysTest {

    @TempDir
    static Path scratch;

    @TestFactory
    Stream<DynamicTest> everyMappingKeyIsAStringForAYaml11Reader() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("crds", "helm/localmodels-operator/crds", "manifests")) {
            try (Stream<Path> walk = Files.walk(Path.of(dir))) {
                walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().forEach(files::add);
            }
        }
        files.add(Path.of("helm/localmodels-operator/values.yaml"));
        files.add(Path.of("helm/localmodels-operator/Chart.yaml"));
        Stream<DynamicTest> shipped = files.stream().map(file -> DynamicTest.dynamicTest(file.toString(),
                () -> assertThat(nonStringKeys(Files.readString(file), "")).as(file.toString()).isEmpty()));
        // the templates only parse once rendered: every optional part switched on
        Map<String, Object> everything = Map.of("serviceMonitor", Map.of("enabled", true),
                "prometheusRule", Map.of("enabled", true));
        Stream<DynamicTest> rendered = Stream.of(
                DynamicTest.dynamicTest("helm template (all parts on)", () -> assertThat(
                        nonStringKeys(OperatorChart.template(everything, scratch), "")).isEmpty()),
                DynamicTest.dynamicTest("helm template (watchNamespaces)", () -> assertThat(
                        nonStringKeys(OperatorChart.template(Map.of("watchNamespaces", List.of("llm")), scratch), "")).isEmpty()));
        return Stream.concat(shipped, rendered);
    }

    /** Paths of the keys a YAML 1.1 reader does not read as strings, e.g. {@code spec.callbacks.items.properties.true}. */
    static List<String> nonStringKeys(String yaml, String at) {
        List<String> out = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            collect(doc, at, out);
        }
        return out;
    }

    private static void collect(Object node, String at, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                String path = at.isEmpty() ? String.valueOf(key) : at + "." + key;
                if (!(key instanceof String)) {
                    out.add(path + " (read as " + (key == null ? "null" : key.getClass().getSimpleName()) + ")");
                }
                collect(value, path, out);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, at + "[]", out));
        }
    }
}
