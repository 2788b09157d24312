package io.localmodels.operator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code render}: YAML on stdout for good manifests; field-naming messages and exit code 2 for bad ones. */
class RenderCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run render(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cmd = Main.commandLine();
        cmd.setOut(new java.io.PrintWriter(out, true));
        cmd.setErr(new java.io.PrintWriter(err, true));
        RenderCommand render = cmd.getSubcommands().get("render").getCommand();
        render.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        render.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        String[] full = new String[args.length + 1];
        full[0] = "render";
        System.arraycopy(args, 0, full, 1, args.length);
        int exit = cmd.execute(full);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rendersTheSamples() {
        Run run = render("-f", "manifests/samples/");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("kind: \"StatefulSet\"", "kind: \"ConfigMap\"", "config.yaml: |",
                "model: ollama_chat/qwen3:30b");
    }

    @Test
    void typosAndBadValuesExitWith2AndNameTheField() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: x, namespace: llm}
                spec:
                  model: m
                  gpus: 2
                  replicas: -1
                """);
        Run run = render("-f", bad.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("spec.gpus: unknown field", "spec.replicas: -1 is outside 0..64");
    }

    @Test
    void aMissingFileExitsWith2() {
        Run run = render("-f", dir.resolve("nope.yaml").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("no such file or directory");
    }

    @Test
    void brokenYamlExitsWith2() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "kind: LocalModel\n  spec: [\n");
        Run run = render("-f", broken.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("broken.yaml");
    }
}
