package io.localmodels.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.LocalModel;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When an owner's objects must be built again: only when what an apply compares can have moved. */
class AppliedObjectsTest {

    private final AppliedObjects objects = new AppliedObjects();
    private final ResourceID id = new ResourceID("m", "ns");
    private final LocalModel lm = localModel(1L);

    @Test
    void aStatusWriteOnTheStatefulSetKeepsTheWorkloadCurrent() {
        StatefulSet applied = meta(new StatefulSet(), "sts-uid", "1", "h1");
        objects.applied(id, lm, null, applied, meta(new Service(), "svc-uid", "2", "h2"));

        StatefulSet counted = meta(new StatefulSet(), "sts-uid", "7", "h1");
        counted.setStatus(new StatefulSetStatusBuilder().withReadyReplicas(1).build());

        assertThat(objects.current(id, lm, null, counted, meta(new Service(), "svc-uid", "9", "h2"))).isTrue();
    }

    @Test
    void aRecreatedOrReannotatedObjectOrANewSpecBuildsAgain() {
        objects.applied(id, lm, null, meta(new StatefulSet(), "sts-uid", "1", "h1"), meta(new Service(), "svc-uid", "2", "h2"));
        Service service = meta(new Service(), "svc-uid", "2", "h2");

        assertThat(objects.current(id, lm, null, meta(new StatefulSet(), "other-uid", "3", "h1"), service))
                .as("deleted and created again").isFalse();
        assertThat(objects.current(id, lm, null, meta(new StatefulSet(), "sts-uid", "3", null), service))
                .as("its desired-hash annotation edited away").isFalse();
        assertThat(objects.current(id, lm, null, meta(new StatefulSet(), "sts-uid", "3", "h0"), service))
                .as("written by another version").isFalse();
        assertThat(objects.current(id, localModel(2L), null, meta(new StatefulSet(), "sts-uid", "1", "h1"), service))
                .as("a new generation of the spec").isFalse();
        assertThat(objects.current(id, lm, null, null, service)).as("gone").isFalse();
    }

    @Test
    void aRouterRunningAnotherConfigBuildsAgain() {
        Service service = meta(new Service(), "svc-uid", "2", "h2");
        objects.applied(id, lm, "config-a", service);

        assertThat(objects.current(id, lm, "config-a", meta(new Service(), "svc-uid", "5", "h2"))).isTrue();
        assertThat(objects.current(id, lm, "config-b", service)).isFalse();
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
