package io.localmodels.operator.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.model.LocalModelValidation;
import io.localmodels.operator.model.OllamaWorkload;

import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.api.ModelDetails;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.model.LocalModelStatusFactory;
import io.localmodels.operator.model.OllamaAddressing;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.router.LiteLlmConfig;
import io.localmodels.operator.router.ProxyResources;
import io.localmodels.operator.status.Conditions;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline twin of the reconcilers: the same pure functions, applied to manifests read from files, so a team can
 * review what a change produces before applying it.
 */
public class OfflineRender {

    private final OperatorConfig config;
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private final KubernetesSerialization serialization = SERIALIZATION;

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
            List<String> invalid = LocalModelValidation.problems(lm);
            if (!invalid.isEmpty()) {
                invalid.forEach(p -> problems.add(describe(lm) + ": " + p));
                continue;
            }
            if (lm.getSpec().getExternal() == null) {
                objects.add(OllamaWorkload.statefulSet(lm, config));
                objects.add(OllamaWorkload.service(lm));
            }
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
            LiteLlmConfig config = LiteLlmConfig.render(router, sameNamespace);
            if (!config.problems().isEmpty()) {
                config.problems().forEach(p -> problems.add(describe(router) + ": " + p));
                continue;
            }
            objects.addAll(ProxyResources.desired(router, sameNamespace, this.config));
        }
        StringBuilder yaml = new StringBuilder();
        for (HasMetadata object : objects) {
            String doc = serialization.asYaml(object);
            yaml.append(doc.startsWith("---") ? doc : "---\n" + doc);
        }
        return new Result(yaml.toString(), problems);
    }

    /**
     * Render shows the config a router gets when every model it names is up: a copy of the LocalModel with the status
     * the operator would write once it serves (its Service endpoint, Ready, circuit Closed).
     */
    static LocalModel assumedServing(LocalModel lm) {
        LocalModel copy = SERIALIZATION.clone(lm);
        LocalModelStatus status = new LocalModelStatus();
        status.setEndpoint(OllamaAddressing.inCluster().serviceEndpoint(lm));
        status.setPhase(Phase.READY);
        HealthStatus health = new HealthStatus();
        health.setCircuit("Closed");
        status.setHealth(health);
        status.setConditions(new Conditions(null, 0, Clock.systemUTC())
                .set(LocalModelStatusFactory.READY, true, "ServingTraffic", "").build());
        if (lm.getSpec() != null && lm.getSpec().getOllama() != null && lm.getSpec().getOllama().getContextLength() != null) {
            ModelDetails details = new ModelDetails();
            details.setContextLength(lm.getSpec().getOllama().getContextLength());
            status.setModel(details);
        }
        copy.setStatus(status);
        return copy;
    }

    static String describe(HasMetadata resource) {
        return resource.getKind() + " " + resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }
}
