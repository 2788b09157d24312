package io.localmodels.operator.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.localmodels.operator.api.Api;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads LocalModel and ModelRouter manifests from YAML files (several documents per file), without a cluster. */
public final class ManifestReader {

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** What was read: our resources, the kinds passed over, and problems (file, document, message). */
    public record Manifests(List<LocalModel> localModels, List<ModelRouter> routers, List<String> skipped,
                            List<String> problems) {
    }

    /** Reads a YAML file, or every .yaml/.yml file under a directory in name order. */
    public Manifests read(Path path) throws IOException {
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> walk = Files.walk(path)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .sorted().toList();
            }
        } else if (Files.isRegularFile(path)) {
            files = List.of(path);
        } else {
            throw new IOException(path + ": no such file or directory");
        }
        Manifests out = new Manifests(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Path file : files) {
            readFile(file, out);
        }
        return out;
    }

    private void readFile(Path file, Manifests out) throws IOException {
        Object parsed;
        try (InputStream in = Files.newInputStream(file)) {
            parsed = serialization.unmarshal(in, KubernetesResource.class);
        } catch (RuntimeException e) {
            out.problems().add(file + ": not valid Kubernetes YAML: " + rootMessage(e));
            return;
        }
        List<Object> documents = new ArrayList<>();
        if (parsed instanceof KubernetesResourceList<?> list) {
            documents.addAll(list.getItems());
        } else if (parsed instanceof List<?> list) {
            documents.addAll(list);
        } else if (parsed != null) {
            documents.add(parsed);
        }
        for (Object doc : documents) {
            classify(file, doc, out);
        }
    }

    private void classify(Path file, Object doc, Manifests out) {
        if (!(doc instanceof HasMetadata resource)) {
            return;
        }
        String apiVersion = resource.getApiVersion();
        String kind = resource.getKind();
        String where = file + ": " + kind + " " + (resource.getMetadata() == null ? "?" : resource.getMetadata().getName());
        if (!(Api.GROUP + "/" + Api.VERSION).equals(apiVersion)) {
            out.skipped().add(where);
            return;
        }
        try {
            Object generic = resource instanceof GenericKubernetesResource ? resource : serialization.convertValue(resource, GenericKubernetesResource.class);
            if ("LocalModel".equals(kind)) {
                LocalModel lm = serialization.convertValue(generic, LocalModel.class);
                unknownFields(generic, lm).forEach(f -> out.problems().add(where + ": " + f));
                out.localModels().add(defaultNamespace(lm));
            } else if ("ModelRouter".equals(kind)) {
                ModelRouter router = serialization.convertValue(generic, ModelRouter.class);
                unknownFields(generic, router).forEach(f -> out.problems().add(where + ": " + f));
                out.routers().add(defaultNamespace(router));
            } else {
                out.problems().add(where + ": unknown kind in " + apiVersion);
            }
        } catch (RuntimeException e) {
            out.problems().add(where + ": " + rootMessage(e));
        }
    }

    /** Fields of the manifest the types do not know, such as typos: kubectl's strict field validation rejects them. */
    private List<String> unknownFields(Object manifest, HasMetadata typed) {
        Map<?, ?> given = serialization.convertValue(manifest, Map.class);
        Map<?, ?> known = serialization.convertValue(typed, Map.class);
        List<String> unknown = new ArrayList<>();
        compare("spec", ((Map<?, ?>) given).get("spec"), known.get("spec"), unknown);
        return unknown;
    }

    private static void compare(String path, Object given, Object known, List<String> unknown) {
        if (given instanceof Map<?, ?> g && known instanceof Map<?, ?> k) {
            g.forEach((key, value) -> {
                String field = path + "." + key;
                if (value != null && !k.containsKey(key)) {
                    unknown.add(field + ": unknown field");
                } else {
                    compare(field, value, k.get(key), unknown);
                }
            });
        } else if (given instanceof List<?> g && known instanceof List<?> k) {
            for (int i = 0; i < Math.min(g.size(), k.size()); i++) {
                compare(path + "[" + i + "]", g.get(i), k.get(i), unknown);
            }
        }
    }

    private static <T extends HasMetadata> T defaultNamespace(T resource) {
        if (resource.getMetadata().getNamespace() == null) {
            resource.getMetadata().setNamespace("default");
        }
        return resource;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int cut = message.indexOf("\n at [Source");
        return (cut > 0 ? message.substring(0, cut) : message).lines().findFirst().orElse(message);
    }
}
