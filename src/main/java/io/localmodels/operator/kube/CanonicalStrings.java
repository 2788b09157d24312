package io.localmodels.operator.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;

/**
 * Shares equal strings among the objects the operator reads from the API server. Every cached LocalModel, pod,
 * StatefulSet and Service repeats the same namespaces, label values, condition types, statuses, reasons and
 * messages, and each parse made each of them a string of its own: about 270 strings per model, most of the
 * operator's memory per model at N = 10 000.
 * <p>
 * A direct-mapped table, not an intern pool: a string's hash picks one slot; an equal string there is returned,
 * else this one takes the slot. Strings seen once (uids, resource versions) only pass through, the table never
 * grows, and a lost race between two threads only costs a copy. Long strings (configs, long messages) are left as
 * they are.
 */
public final class CanonicalStrings {

    private static final int SLOTS = 1 << 16;
    private static final int LONGEST = 256;
    private static final String[] TABLE = new String[SLOTS];

    private CanonicalStrings() {
    }

    /** An equal string seen before, or {@code s} itself (which later equal strings then share). */
    public static String of(String s) {
        if (s == null || s.length() > LONGEST) {
            return s;
        }
        int h = s.hashCode();
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String seen = TABLE[slot];
        if (seen != null && seen.equals(s)) {
            return seen;
        }
        TABLE[slot] = s;
        return s;
    }

    /** The client builder of the operator: its informers and reads share equal strings. */
    public static KubernetesClientBuilder client() {
        return new KubernetesClientBuilder().withKubernetesSerialization(serialization());
    }

    /** fabric8's serialization, whose string values go through {@link #of}. */
    public static KubernetesSerialization serialization() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new SimpleModule("canonical-strings").addDeserializer(String.class, new Deserializer()));
        return new KubernetesSerialization(mapper, true);
    }

    /** Jackson's own string reading, then {@link #of}. */
    private static final class Deserializer extends StdScalarDeserializer<String> {

        Deserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                return of(p.getText());
            }
            return of(StringDeserializer.instance.deserialize(p, ctxt));
        }
    }
}
