package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.kube.DesiredObjectWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When a LocalModel's workload must be built again: only when what an apply compares can have moved. */
class AppliedWorkloadsTest {

    private final AppliedWorkloads workloads = new AppliedWorkloads();
    private final ResourceID id = new ResourceID("m", "ns");
    private final LocalModel lm = localModel(1L);

    @Test
    void aStatusWriteOnTheStatefulSetKeepsTheWorkloadCurrent() {
        StatefulSet applied = meta(new StatefulSet(), "sts-uid", "1", "h1");
        workloads.applied(id, lm, applied, meta(new Service(), "svc-uid", "2", "h2"));

        StatefulSet counted = meta(new StatefulSet(), "sts-uid", "7", "h1");
        counted.setStatus(new StatefulSetStatusBuilder().withReadyReplicas(1).build());

        assertThat(workloads.current(id, lm, counted, meta(new Service(), "svc-uid", "9", "h2"))).isTrue();
    }

    @Test
    void aRecreatedOrReannotatedObjectOrANewSpecBuildsAgain() {
        workloads.applied(id, lm, meta(new StatefulSet(), "sts-uid", "1", "h1"), meta(new Service(), "svc-uid", "2", "h2"));
        Service service = meta(new Service(), "svc-uid", "2", "h2");

        assertThat(workloads.current(id, lm, meta(new StatefulSet(), "other-uid", "3", "h1"), service))
                .as("deleted and created again").isFalse();
        assertThat(workloads.current(id, lm, meta(new StatefulSet(), "sts-uid", "3", null), service))
                .as("its desired-hash annotation edited away").isFalse();
        assertThat(workloads.current(id, lm, meta(new StatefulSet(), "sts-uid", "3", "h0"), service))
                .as("written by another version").isFalse();
        assertThat(workloads.current(id, localModel(2L), meta(new StatefulSet(), "sts-uid", "1", "h1"), service))
                .as("a new generation of the spec").isFalse();
        assertThat(workloads.current(id, lm, null, service)).as("gone").isFalse();
    }

    private static LocalModel localModel(long generation) {
        LocalModel lm = new LocalModel();
        lm.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace("ns").withUid("lm-uid")
                .withGeneration(generation).build());
        return lm;
    }

    private static <T extends HasMetadata> T meta(T object, String uid, String resourceVersion, String hash) {
        object.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace("ns").withUid(uid)
                .withResourceVersion(resourceVersion)
                .withAnnotations(hash == null ? Map.of() : Map.of(DesiredObjectWriter.DESIRED_HASH, hash)).build());
        return object;
    }
}
