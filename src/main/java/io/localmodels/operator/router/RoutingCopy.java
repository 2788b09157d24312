package io.localmodels.operator.router;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelSpec;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.api.ModelDetails;
import io.localmodels.operator.model.LocalModelStatusFactory;
import io.localmodels.operator.status.Conditions;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A LocalModel cut down to what routing reads ({@link LocalModelReferences.RoutingView}, {@link BackendGate},
 * {@link LiteLlmConfig}, {@link DeploymentKind}): the router's informer keeps one of every LocalModel besides the
 * LocalModel controller's own cache, and health details, replica lists, pull progress and the other conditions
 * were most of it. Pruned in place as the informer stores it, so its events and {@code routingChanged} see the
 * same cut-down objects.
 */
final class RoutingCopy {

    private static final String JOSDK_PREFIX = "javaoperatorsdk.io/";

    private RoutingCopy() {
    }

    /**
     * Keeps identity and labels of the metadata; {@code spec.model} and {@code spec.external} (the endpoint it
     * plans); of status the phase, endpoint, the Ready condition, the circuit, and the context length and
     * capabilities of {@code status.model}.
     */
    static LocalModel prune(LocalModel lm) {
        ObjectMeta meta = lm.getMetadata();
        if (meta != null) {
            ObjectMeta kept = new ObjectMeta();
            kept.setName(meta.getName());
            kept.setNamespace(meta.getNamespace());
            kept.setUid(meta.getUid());
            kept.setResourceVersion(meta.getResourceVersion());
            kept.setGeneration(meta.getGeneration());
            kept.setLabels(meta.getLabels() == null || meta.getLabels().isEmpty() ? Map.of() : meta.getLabels());
            kept.setDeletionTimestamp(meta.getDeletionTimestamp());
            // JOSDK's informer reads its own annotations (never null); a new ObjectMeta's empty collections would
            // cost a map or list each: shared empty ones instead (nobody writes to a cached object)
            kept.setAnnotations(frameworkAnnotations(meta.getAnnotations()));
            kept.setFinalizers(List.of());
            kept.setOwnerReferences(List.of());
            kept.setManagedFields(List.of());
            lm.setMetadata(kept);
        }
        LocalModelSpec spec = lm.getSpec();
        if (spec != null) {
            LocalModelSpec kept = new LocalModelSpec();
            kept.setModel(spec.getModel());
            kept.setExternal(spec.getExternal());
            lm.setSpec(kept);
        }
        LocalModelStatus status = lm.getStatus();
        if (status != null) {
            LocalModelStatus kept = new LocalModelStatus();
            kept.setPhase(status.getPhase());
            kept.setEndpoint(status.getEndpoint());
            Conditions.find(status.getConditions(), LocalModelStatusFactory.READY)
                    .ifPresent(ready -> kept.setConditions(List.of(ready)));
            if (status.getHealth() != null) {
                HealthStatus health = new HealthStatus();
                health.setCircuit(status.getHealth().getCircuit());
                kept.setHealth(health);
            }
            ModelDetails details = status.getModel();
            if (details != null) {
                ModelDetails keptDetails = new ModelDetails();
                keptDetails.setContextLength(details.getContextLength());
                keptDetails.setCapabilities(details.getCapabilities());
                kept.setModel(keptDetails);
            }
            lm.setStatus(kept);
        }
        return lm;
    }

    /** JOSDK's own annotations (it reads them on every event); the users' and kubectl's are never read here. */
    private static Map<String, String> frameworkAnnotations(Map<String, String> annotations) {
        if (annotations == null || annotations.isEmpty()) {
            return Map.of();
        }
        Map<String, String> kept = annotations.entrySet().stream()
                .filter(e -> e.getKey().startsWith(JOSDK_PREFIX))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
        return kept.isEmpty() ? Map.of() : kept;
    }
}
