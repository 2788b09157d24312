package io.localmodels.operator.kube;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalStringsTest {

    private static Pod read(String name) {
        return CanonicalStrings.serialization().unmarshal("""
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "%s", "namespace": "llm", "labels": {"app.kubernetes.io/name": "ollama"}},
                 "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}}
                """.formatted(name), Pod.class);
    }

    @Test
    void twoObjectsReadShareTheirEqualStrings() {
        Pod a = read("m-0");
        Pod b = read("n-0");
        assertThat(b.getMetadata().getNamespace()).isSameAs(a.getMetadata().getNamespace());
        assertThat(b.getMetadata().getLabels().get("app.kubernetes.io/name"))
                .isSameAs(a.getMetadata().getLabels().get("app.kubernetes.io/name"));
        assertThat(b.getStatus().getConditions().get(0).getStatus())
                .isSameAs(a.getStatus().getConditions().get(0).getStatus());
        assertThat(b.getMetadata().getName()).isEqualTo("n-0");
    }

    @Test
    void longStringsAreLeftAsTheyAre() {
        String longOne = "x".repeat(300);
        assertThat(CanonicalStrings.of(new String(longOne))).isNotSameAs(CanonicalStrings.of(new String(longOne)));
        String shortOne = "Running-" + 42;
        assertThat(CanonicalStrings.of(new String(shortOne))).isSameAs(CanonicalStrings.of(new String(shortOne)));
    }
}
