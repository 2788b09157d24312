package io.localmodels.operator.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;

import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * Reads one of our custom resources even when its spec does not fit the Java types ({@code replicas: three}).
 * The API server's schema normally rejects such objects, but one stored anyway (a CRD without the schema, an
 * object older than a type change) must not fail the watch, which stops the informer of every resource of the
 * kind: the resource is read with no spec and the reason, naming the field, so the reconciler can say so.
 */
public final class TolerantReader {

    private TolerantReader() {
    }

    /**
     * The operator's copier of resources (JOSDK copies each resource before a reconcile): a copy by serializing,
     * plus the reason a spec could not be read, which serializing loses.
     */
    public static Cloner cloner(KubernetesSerialization json) {
        return new Cloner() {
            @Override
            public <R extends HasMetadata> R clone(R object) {
                R copy = json.clone(object);
                if (object instanceof LocalModel from && copy instanceof LocalModel to) {
                    to.setUnreadableSpec(from.getUnreadableSpec());
                } else if (object instanceof ModelRouter from && copy instanceof ModelRouter to) {
                    to.setUnreadableSpec(from.getUnreadableSpec());
                }
                return copy;
            }
        };
    }

    static <R extends CustomResource<S, T>, S, T> R read(JsonParser p, R into, Class<S> specType, Class<T> statusType,
                                                          BiConsumer<R, String> unreadable) throws IOException {
        ObjectCodec codec = p.getCodec();
        JsonNode node = codec.readTree(p);
        JsonNode metadata = node.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            into.setMetadata(codec.treeToValue(metadata, ObjectMeta.class));
        }
        JsonNode spec = node.get("spec");
        if (spec != null && !spec.isNull()) {
            try {
                into.setSpec(codec.treeToValue(spec, specType));
            } catch (JsonProcessingException e) {
                unreadable.accept(into, describe(e));
            }
        }
        JsonNode status = node.get("status");
        if (status != null && !status.isNull()) {
            try {
                into.setStatus(codec.treeToValue(status, statusType));
            } catch (JsonProcessingException e) {
                // status is ours and is written afresh by the next reconcile
                into.setStatus(null);
            }
        }
        return into;
    }

    /** "spec.replicas: cannot be read: Cannot deserialize value of type `java.lang.Integer` from String "three"…". */
    static String describe(JsonProcessingException e) {
        StringBuilder field = new StringBuilder("spec");
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    field.append('.').append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    field.append('[').append(ref.getIndex()).append(']');
                }
            }
        }
        String why = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        if (why.length() > 200) {
            why = why.substring(0, 200) + "…";
        }
        return field + ": cannot be read: " + why + " (the CRD's schema should have rejected it)";
    }
}
