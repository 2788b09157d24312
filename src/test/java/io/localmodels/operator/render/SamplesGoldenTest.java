package io.localmodels.operator.render;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.localmodels.operator.config.OperatorConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden test of desired state: every object the operator would create for {@code manifests/samples/}, compared
 * document by document with a reviewed copy. After an intended change, regenerate with
 * {@code mvn -B test -Dtest=SamplesGoldenTest -Dlocalmodels.updateGolden=true} and review the diff.
 */
public class SamplesGoldenTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/samples.yaml");

    @Test
    void samplesRenderAsReviewed() throws IOException {
        var manifests = new ManifestReader().read(Path.of("manifests/samples"));
        assertThat(manifests.problems()).isEmpty();
        OfflineRender.Result result = new OfflineRender(OperatorConfig.defaults()).render(manifests);
        assertThat(result.problems()).isEmpty();

        if (Boolean.getBoolean("localmodels.updateGolden")) {
            Files.writeString(GOLDEN, result.yaml());
        }
        List<Map<String, Object>> actual = documents(result.yaml());
        List<Map<String, Object>> expected = documents(Files.readString(GOLDEN));
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("document %d (%s %s)", i, expected.get(i).get("kind"),
                    ((Map<?, ?>) expected.get(i).get("metadata")).get("name")).isEqualTo(expected.get(i));
        }
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> documents(String yaml) {
        var serialization = new KubernetesSerialization();
        return java.util.Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(doc -> !doc.isBlank())
                .map(doc -> (Map<String, Object>) serialization.unmarshal(doc, Map.class))
                .toList();
    }
}
