package io.localmodels.operator.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Puts the generated CRDs' printer columns in the order kubectl shows them. The fabric8 generator sorts them by
 * JSON path, which would print AGE second; this runs at build time (process-classes) right after it.
 */
public final class PrinterColumnOrder {

    /** kubectl prints columns in list order; NAME comes first on its own. */
    static final Map<String, List<String>> ORDER = Map.of(
            "localmodels.localmodels.io", List.of("Model", "Phase", "Ready", "Success", "P95(ms)", "Circuit", "Age"),
            "modelrouters.localmodels.io", List.of("Models", "Healthy", "Endpoint", "Ready", "Phase", "Age"));

    private PrinterColumnOrder() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (var entry : ORDER.entrySet()) {
            Path file = dir.resolve(entry.getKey() + "-v1.yml");
            CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
            reorder(crd, entry.getValue());
            Files.writeString(file, Serialization.asYaml(crd));
        }
    }

    static void reorder(CustomResourceDefinition crd, List<String> order) {
        for (var version : crd.getSpec().getVersions()) {
            List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
            columns.sort(Comparator.comparingInt(c -> {
                int i = order.indexOf(c.getName());
                if (i < 0) {
                    throw new IllegalStateException("printer column " + c.getName() + " has no place in the order");
                }
                return i;
            }));
        }
    }
}
