package io.localmodels.operator.install;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The operator's Helm chart in this repository, rendered and linted in-process through helm-java. */
public final class OperatorChart {

    /** The chart directory, relative to the project root (the working directory of Maven's tests). */
    public static final Path DIR = Path.of("helm", "localmodels-operator");
    /** Release name and namespace the tests and {@code manifests/install.yaml} render with. */
    public static final String RELEASE = "localmodels-operator";
    public static final String NAMESPACE = "localmodels-system";

    private OperatorChart() {
    }

    /** {@code helm template} of the chart without its CRDs, with {@code values} over the chart's values.yaml. */
    public static String template(Map<String, Object> values, Path scratch) {
        try {
            Path valuesFile = Files.createTempFile(scratch, "values", ".yaml");
            Files.writeString(valuesFile, Serialization.asYaml(values));
            return new Helm(DIR).template()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .withValuesFile(valuesFile)
                    .skipCrds()
                    .call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renders and parses the chart. */
    public static RenderedChart render(Map<String, Object> values, Path scratch) {
        return RenderedChart.parse(template(values, scratch));
    }

    /**
     * {@code helm lint --strict} with {@code values} merged into values.yaml. helm-java's lint takes no values
     * files, so the chart is copied into {@code scratch} and its values.yaml replaced by the merged values.
     */
    public static LintResult lintStrict(Map<String, Object> values, Path scratch) {
        try {
            Path copy = scratch.resolve("chart-" + System.nanoTime()).resolve(DIR.getFileName());
            copyTree(DIR, copy);
            if (!values.isEmpty()) {
                Map<String, Object> merged = deepMerge(readValues(DIR.resolve("values.yaml")), values);
                Files.writeString(copy.resolve("values.yaml"), Serialization.asYaml(merged));
            }
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readValues(Path file) throws IOException {
        return Serialization.unmarshal(Files.readString(file), Map.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        overlay.forEach((key, value) -> {
            Object existing = merged.get(key);
            if (existing instanceof Map<?, ?> e && value instanceof Map<?, ?> v) {
                merged.put(key, deepMerge((Map<String, Object>) e, (Map<String, Object>) v));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
