package io.localmodels.operator.install;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Arrays;
import java.util.List;

/** The objects of a rendered chart (or any multi-document manifest), parsed into fabric8 types. */
public record RenderedChart(String yaml, List<HasMetadata> objects) {

    /** Parses multi-document YAML; kinds fabric8 does not know become {@link GenericKubernetesResource}. */
    public static RenderedChart parse(String yaml) {
        List<HasMetadata> objects = Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(RenderedChart::hasContent)
                .map(doc -> (HasMetadata) Serialization.unmarshal(doc, HasMetadata.class))
                .toList();
        return new RenderedChart(yaml, objects);
    }

    private static boolean hasContent(String doc) {
        return doc.lines().anyMatch(line -> !line.isBlank() && !line.stripLeading().startsWith("#"));
    }

    /** Every object of the given type. */
    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The only object of the given type; fails when there are none or several. */
    public <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + found.size());
        }
        return found.get(0);
    }

    /** Every object of a kind fabric8 has no class for (ServiceMonitor, PrometheusRule). */
    public List<GenericKubernetesResource> ofKind(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(o -> kind.equals(o.getKind())).toList();
    }
}
