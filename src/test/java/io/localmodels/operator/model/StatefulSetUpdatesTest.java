package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatefulSetUpdatesTest {

    private static StatefulSet sts(long generation, long observed, int ready, String hash) {
        return new StatefulSetBuilder().withNewMetadata().withName("m").withUid("u1").withGeneration(generation)
                .addToAnnotations("localmodels.io/desired-hash", hash).endMetadata()
                .withNewStatus().withObservedGeneration(observed).withReplicas(1).withReadyReplicas(ready).endStatus()
                .build();
    }

    @Test
    void theControllersReplicaCountsAloneDoNotMatter() {
        assertThat(StatefulSetUpdates.matter(sts(1, 1, 1, "a"), sts(1, 1, 0, "a"))).isFalse();
    }

    @Test
    void aNewSpecAHashOrTheControllerSyncingTheGenerationMatter() {
        assertThat(StatefulSetUpdates.matter(sts(2, 1, 0, "a"), sts(1, 1, 0, "a"))).as("generation").isTrue();
        assertThat(StatefulSetUpdates.matter(sts(1, 1, 0, "b"), sts(1, 1, 0, "a"))).as("desired hash").isTrue();
        assertThat(StatefulSetUpdates.matter(sts(2, 2, 0, "a"), sts(2, 1, 0, "a"))).as("observedGeneration").isTrue();
        StatefulSet recreated = sts(1, 1, 0, "a");
        recreated.getMetadata().setUid("u2");
        assertThat(StatefulSetUpdates.matter(recreated, sts(1, 1, 0, "a"))).as("uid").isTrue();
    }
}
