package io.localmodels.operator.install;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed CRDs ({@code crds/}, the chart's {@code crds/}) and {@code manifests/install.yaml} match what the
 * build generates and the chart renders. Run with {@code -Dlocalmodels.updateGenerated=true} (what
 * {@code scripts/sync-generated.sh} does) to rewrite them first.
 */
class CrdSyncTest {

    private static final boolean UPDATE = Boolean.getBoolean("localmodels.updateGenerated");

    @TempDir
    static Path scratch;

    @BeforeAll
    static void updateWhenAsked() {
        if (UPDATE) {
            GeneratedFiles.write(GeneratedFiles.expected(scratch));
        }
    }

    @Test
    void committedCopiesMatchTheBuildOutput() {
        Map<Path, String> expected = GeneratedFiles.expected(scratch);
        List<Path> stale = expected.entrySet().stream()
                .filter(file -> !Objects.equals(GeneratedFiles.read(file.getKey()), file.getValue()))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(stale)
                .as("These committed files differ from the build output or the chart: %s.%nFix: run %s.",
                        stale, GeneratedFiles.FIX)
                .isEmpty();
    }

    @Test
    void installManifestCarriesTheBuiltCrdsAndItsNamespace() {
        String committed = GeneratedFiles.read(GeneratedFiles.INSTALL_MANIFEST);
        assertThat(committed).as("%s is missing. Fix: run %s.", GeneratedFiles.INSTALL_MANIFEST, GeneratedFiles.FIX)
                .isNotNull();
        RenderedChart install = RenderedChart.parse(committed);

        List<CustomResourceDefinition> installed = install.all(CustomResourceDefinition.class);
        List<String> differing = GeneratedFiles.CRD_FILES.stream()
                .map(file -> Serialization.unmarshal(GeneratedFiles.builtCrd(file), CustomResourceDefinition.class))
                .filter(built -> !installed.contains(built))
                .map(built -> built.getMetadata().getName())
                .toList();
        assertThat(differing)
                .as("These CRDs in %s are missing or differ from the build output: %s.%nFix: run %s.",
                        GeneratedFiles.INSTALL_MANIFEST, differing, GeneratedFiles.FIX)
                .isEmpty();
        assertThat(installed).hasSize(GeneratedFiles.CRD_FILES.size());
        assertThat(install.one(Namespace.class).getMetadata().getName()).isEqualTo(OperatorChart.NAMESPACE);
        assertThat(install.objects()).allSatisfy(o -> {
            boolean namespaced = !(o instanceof Namespace || o instanceof CustomResourceDefinition
                    || o.getKind().startsWith("Cluster"));
            if (namespaced) {
                assertThat(o.getMetadata().getNamespace()).as(o.getKind() + " " + o.getMetadata().getName())
                        .isEqualTo(OperatorChart.NAMESPACE);
            }
        });
    }
}
