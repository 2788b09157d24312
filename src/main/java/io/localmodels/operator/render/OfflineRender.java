package io.localmodels.operator.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.model.LocalModelStatusFactory;
import io.localmodels.operator.model.LocalModelValidation;
import io.localmodels.operator.model.ModelObservation;
import io.localmodels.operator.model.OllamaAddressing;
import io.localmodels.operator.model.OllamaWorkload;
import io.localmodels.operator.router.LiteLlmConfig;
import io.localmodels.operator.router.ProxyResources;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline twin of the reconcilers: the same desired-object functions ({@link OllamaWorkload#desired},
 * {@link ProxyResources#desired}), applied to manifests read from files, so a team can review what a change
 * produces before applying it.
 */
public class OfflineRender {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final OperatorConfig config;
    private final LocalModelStatusFactory statuses;

    public OfflineRender(OperatorConfig config) {
        this.config = config;
        this.statuses = new LocalModelStatusFactory(config.clock());
    }

    /** The YAML of every object, and the problems that kept a resource from rendering. */
    public record Result(String yaml, List<String> problems) {
    }

    public Result render(ManifestReader.Manifests manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (LocalModel lm : manifests.localModels()) {
            List<String> invalid = LocalModelValidation.problems(lm);
            if (!invalid.isEmpty()) {
                invalid.forEach(p -> problems.add(describe(lm) + ": " + p));
                continue;
            }
            OllamaWorkload.desired(lm, config).ifPresent(d -> objects.addAll(d.all()));
        }
        Map<String, LocalModel> byName = new HashMap<>();
        manifests.localModels().forEach(lm -> byName.put(lm.getMetadata().getNamespace() + "/" + lm.getMetadata().getName(),
                assumedServing(lm)));
        for (ModelRouter router : manifests.routers()) {
            String ns = router.getMetadata().getNamespace();
            Map<String, LocalModel> sameNamespace = new HashMap<>();
            byName.forEach((key, lm) -> {
                if (key.startsWith(ns + "/")) {
                    sameNamespace.put(lm.getMetadata().getName(), lm);
                }
            });
            LiteLlmConfig liteLlm = LiteLlmConfig.render(router, sameNamespace);
            if (!liteLlm.problems().isEmpty()) {
                liteLlm.problems().forEach(p -> problems.add(describe(router) + ": " + p));
                continue;
            }
            objects.addAll(ProxyResources.desired(router, liteLlm, config, liteLlm.hash()).all());
        }
        StringBuilder yaml = new StringBuilder();
        for (HasMetadata object : objects) {
            String doc = SERIALIZATION.asYaml(object);
            yaml.append(doc.startsWith("---") ? doc : "---\n" + doc);
        }
        return new Result(yaml.toString(), problems);
    }

    /**
     * Render shows the config a router gets when every model it names is up: a copy of the LocalModel with the status
     * the operator would write once it serves. A LocalModel whose spec is unreadable stays as it is.
     */
    LocalModel assumedServing(LocalModel lm) {
        if (lm.getSpec() == null) {
            return lm;
        }
        LocalModel copy = SERIALIZATION.clone(lm);
        copy.setStatus(null);
        copy.setStatus(statuses.build(ModelObservation.serving(copy, OllamaAddressing.inCluster().serviceEndpoint(lm))));
        return copy;
    }

    static String describe(HasMetadata resource) {
        return resource.getKind() + " " + resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }
}
