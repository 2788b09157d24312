package io.localmodels.operator.render;

import io.localmodels.operator.config.OperatorConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden tests of desired state, one folder per case under {@code src/test/resources/desired/}: the LocalModels and
 * ModelRouters of {@code in-*.yaml} → one {@code out-<kind>-<name>.yaml} per object the operator would keep
 * (StatefulSet, Service, proxy ConfigMap and Deployment), built by the same functions the reconcilers call. A case
 * fails on an object without its file and on a file no object matches. After an intended change, regenerate with
 * {@code -Dlocalmodels.updateGolden=true} and review the diff.
 */
class DesiredObjectsGoldenTest {

    private static final Path CASES = Path.of("src/test/resources/desired");

    @TestFactory
    Stream<DynamicTest> eachCaseRendersAsReviewed() throws IOException {
        try (Stream<Path> dirs = Files.list(CASES)) {
            List<Path> cases = dirs.filter(Files::isDirectory).sorted().toList();
            assertThat(cases).isNotEmpty();
            return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
        }
    }

    private static void check(Path dir) throws IOException {
        List<Path> inputs = files(dir, "in-");
        assertThat(inputs).as("in-*.yaml in " + dir).isNotEmpty();
        ManifestReader reader = new ManifestReader();
        var all = new ManifestReader.Manifests(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Path input : inputs) {
            var read = reader.read(input);
            all.localModels().addAll(read.localModels());
            all.routers().addAll(read.routers());
            all.problems().addAll(read.problems());
        }
        assertThat(all.problems()).isEmpty();
        OfflineRender.Result result = new OfflineRender(OperatorConfig.defaults()).render(all);
        assertThat(result.problems()).isEmpty();

        List<Map<String, Object>> objects = SamplesGoldenTest.documents(result.yaml());
        Set<String> unused = new TreeSet<>(files(dir, "out-").stream().map(p -> p.getFileName().toString()).toList());
        for (Map<String, Object> object : objects) {
            String file = "out-" + String.valueOf(object.get("kind")).toLowerCase(Locale.ROOT) + "-"
                    + ((Map<?, ?>) object.get("metadata")).get("name") + ".yaml";
            Path expected = dir.resolve(file);
            if (Boolean.getBoolean("localmodels.updateGolden")) {
                Files.writeString(expected, yamlOf(result.yaml(), objects.indexOf(object)));
            }
            assertThat(expected).as("the expected object of " + file).exists();
            assertThat(object).as(dir.getFileName() + "/" + file)
                    .isEqualTo(SamplesGoldenTest.documents(Files.readString(expected)).get(0));
            unused.remove(file);
        }
        assertThat(unused).as("out-*.yaml files in " + dir + " that no rendered object matches").isEmpty();
    }

    /** The {@code index}-th document of the rendered stream, as render printed it. */
    private static String yamlOf(String rendered, int index) {
        List<String> docs = Stream.of(rendered.split("(?m)^---\\s*$")).filter(d -> !d.isBlank()).toList();
        return "---" + docs.get(index);
    }

    private static List<Path> files(Path dir, String prefix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

}
