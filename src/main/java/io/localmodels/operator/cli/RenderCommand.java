package io.localmodels.operator.cli;

import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.render.ManifestReader;
import io.localmodels.operator.render.OfflineRender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Prints, without a cluster, every object the operator would create for the given manifests. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Print as YAML every object the operator would create for LocalModel and ModelRouter manifests "
                + "(no cluster needed), including each router's LiteLLM config.yaml.")
public class RenderCommand implements Callable<Integer> {

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR",
            description = "A YAML file, or a directory of them")
    List<Path> paths;

    @Option(names = "--ollama-image", description = "Ollama image when a LocalModel names none (default: ${DEFAULT-VALUE})")
    String ollamaImage = OperatorConfig.DEFAULT_OLLAMA_IMAGE;

    @Option(names = "--litellm-image", description = "LiteLLM image when a ModelRouter names none (default: ${DEFAULT-VALUE})")
    String liteLlmImage = OperatorConfig.DEFAULT_LITELLM_IMAGE;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        OperatorConfig config = OperatorConfig.defaults().withImages(ollamaImage, liteLlmImage);
        ManifestReader reader = new ManifestReader();
        var render = new OfflineRender(config);
        boolean problems = false;
        for (Path path : paths) {
            ManifestReader.Manifests manifests;
            try {
                manifests = reader.read(path);
            } catch (IOException e) {
                err.println("render: " + e.getMessage());
                return 2;
            }
            manifests.skipped().forEach(s -> err.println("render: skipped (not a localmodels.io resource): " + s));
            manifests.problems().forEach(p -> err.println("render: " + p));
            problems |= !manifests.problems().isEmpty();
            OfflineRender.Result result = render.render(manifests);
            result.problems().forEach(p -> err.println("render: " + p));
            problems |= !result.problems().isEmpty();
            out.print(result.yaml());
        }
        return problems ? 2 : 0;
    }
}
