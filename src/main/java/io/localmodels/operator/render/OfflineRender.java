package io.localmodels.operator.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.model.LocalModelValidation;
import io.localmodels.operator.model.HealthSpecChecks;
import io.localmodels.operator.model.OllamaWorkload;

import java.util.ArrayList;
import java.util.List;

/**
 * The offline twin of the reconcilers: the same pure functions, applied to manifests read from files, so a team can
 * review what a change produces before applying it.
 */
public class OfflineRender {

    private final OperatorConfig config;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    public OfflineRender(OperatorConfig config) {
        this.config = config;
    }

    /** The YAML of every object, and the problems that kept a resource from rendering. */
    public record Result(String yaml, List<String> problems) {
    }

    public Result render(ManifestReader.Manifests manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (LocalModel lm : manifests.localModels()) {
            List<String> invalid = LocalModelValidation.problems(lm, HealthSpecChecks::problems);
            if (!invalid.isEmpty()) {
                invalid.forEach(p -> problems.add(describe(lm) + ": " + p));
                continue;
            }
            if (lm.getSpec().getExternal() == null) {
                objects.add(OllamaWorkload.statefulSet(lm, config));
                objects.add(OllamaWorkload.service(lm));
            }
        }
        StringBuilder yaml = new StringBuilder();
        for (HasMetadata object : objects) {
            String doc = serialization.asYaml(object);
            yaml.append(doc.startsWith("---") ? doc : "---\n" + doc);
        }
        return new Result(yaml.toString(), problems);
    }

    static String describe(HasMetadata resource) {
        return resource.getKind() + " " + resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }
}
