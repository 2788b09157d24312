package io.localmodels.operator.router;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads ModelRouters and LocalModels (with status) from YAML test resources under {@code router/}. */
final class RouterFixtures {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private RouterFixtures() {
    }

    static ModelRouter router(String resource) {
        return SERIALIZATION.convertValue(documents(resource).get(0), ModelRouter.class);
    }

    static Map<String, LocalModel> localModels(String resource) {
        Map<String, LocalModel> out = new LinkedHashMap<>();
        for (Object doc : documents(resource)) {
            LocalModel lm = SERIALIZATION.convertValue(doc, LocalModel.class);
            out.put(lm.getMetadata().getName(), lm);
        }
        return out;
    }

    /** Parsed YAML documents of a resource. */
    static List<Object> documents(String resource) {
        try (InputStream in = RouterFixtures.class.getClassLoader().getResourceAsStream("router/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource router/" + resource);
            }
            List<Object> docs = new ArrayList<>();
            new Yaml().loadAll(in).forEach(d -> {
                if (d != null) {
                    docs.add(d);
                }
            });
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Object parse(String yaml) {
        return new Yaml().load(yaml);
    }
}
