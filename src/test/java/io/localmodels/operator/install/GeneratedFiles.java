package io.localmodels.operator.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The committed copies of build output and what they must contain: the generated CRDs in {@code crds/} and in the
 * chart's {@code crds/}, {@code manifests/install.yaml} (a Namespace, the CRDs, and the chart rendered with default
 * values but without the Grafana dashboard ConfigMap) and {@code docs/grafana-dashboard.json} (the chart's dashboard).
 */
final class GeneratedFiles {

    /** The CRD files the build generates (crd-generator-maven-plugin, at process-classes). */
    static final List<String> CRD_FILES = List.of("localmodels.localmodels.io-v1.yml", "modelrouters.localmodels.io-v1.yml");
    static final Path TOP_LEVEL_CRDS = Path.of("crds");
    static final Path CHART_CRDS = OperatorChart.DIR.resolve("crds");
    static final Path INSTALL_MANIFEST = Path.of("manifests", "install.yaml");
    /** The dashboard's one source, read by the chart's ConfigMap template with .Files.Get. */
    static final Path CHART_DASHBOARD = OperatorChart.DIR.resolve("dashboards").resolve("localmodels.json");
    /** Its copy for users who import it into Grafana by hand. */
    static final Path DOCS_DASHBOARD = Path.of("docs", "grafana-dashboard.json");
    /** How to bring the committed files up to date, for failure messages and docs. */
    static final String FIX = "scripts/sync-generated.sh (or: mvn -B -o test -Dtest=CrdSyncTest "
            + "-Dlocalmodels.updateGenerated=true), then commit the changed files";

    private GeneratedFiles() {
    }

    /** Each committed file and the content it must have, from the current build output and chart. */
    static Map<Path, String> expected(Path scratch) {
        Map<Path, String> files = new LinkedHashMap<>();
        for (String crd : CRD_FILES) {
            files.put(TOP_LEVEL_CRDS.resolve(crd), builtCrd(crd));
            files.put(CHART_CRDS.resolve(crd), builtCrd(crd));
        }
        files.put(INSTALL_MANIFEST, installManifest(scratch));
        files.put(DOCS_DASHBOARD, read(CHART_DASHBOARD));
        return files;
    }

    /** A generated CRD as the build wrote it, read from the test class path. */
    static String builtCrd(String file) {
        String resource = "META-INF/fabric8/" + file;
        try (InputStream in = GeneratedFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path: run mvn -B -o process-classes");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The install manifest: everything {@code kubectl apply} needs, without Helm. */
    static String installManifest(Path scratch) {
        StringBuilder out = new StringBuilder()
                .append("# LocalModels operator: CRDs, the ").append(OperatorChart.NAMESPACE)
                .append(" namespace and the operator, rendered from\n")
                .append("# helm/localmodels-operator with its default values, without the Grafana dashboard ConfigMap\n")
                .append("# (import docs/grafana-dashboard.json into Grafana instead). Generated: do not edit; run\n")
                .append("# scripts/sync-generated.sh to regenerate it.\n")
                .append("#   kubectl apply --server-side -f manifests/install.yaml\n")
                .append("---\n")
                .append("apiVersion: v1\n")
                .append("kind: Namespace\n")
                .append("metadata:\n")
                .append("  name: ").append(OperatorChart.NAMESPACE).append('\n')
                .append("  labels:\n")
                .append("    app.kubernetes.io/part-of: localmodels\n")
                .append("    pod-security.kubernetes.io/enforce: restricted\n");
        for (String crd : CRD_FILES) {
            out.append(separated(builtCrd(crd)));
        }
        // the dashboard ConfigMap only helps where a Grafana sidecar watches this namespace, which a Helm user sets up
        out.append(separated(OperatorChart.template(Map.of("grafanaDashboard", Map.of("enabled", false)), scratch)));
        return out.toString();
    }

    /** A YAML stream that starts with a document separator and ends with a newline. */
    private static String separated(String yaml) {
        String body = yaml.strip();
        return (body.startsWith("---") ? "" : "---\n") + body + "\n";
    }

    /** Writes the files, creating directories as needed. */
    static void write(Map<Path, String> files) {
        files.forEach((path, content) -> {
            try {
                Files.createDirectories(path.toAbsolutePath().getParent());
                Files.writeString(path, content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The file's content, or null when it does not exist. */
    static String read(Path path) {
        try {
            return Files.exists(path) ? Files.readString(path) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
