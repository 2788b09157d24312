package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.testing.ControllerEvents;
import io.localmodels.operator.testing.MockCluster;
import io.localmodels.operator.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stuck model's Events are read at most once per status period, however often it is reconciled, and not while
 * its pods have been missing for less than the grace.
 */
class WorkloadEventReaderTest {

    static final Duration PERIOD = Duration.ofSeconds(30);
    static final ResourceID ID = new ResourceID("m", "llm");

    KubernetesMockServer server;
    KubernetesClient client;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    final WorkloadEventReader reader = new WorkloadEventReader(clock, PERIOD);

    @BeforeEach
    void start() {
        server = MockCluster.apiServer();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void aStuckModelIsReadOncePerPeriodAndAModelThatStopsBeingStuckAtOnce() {
        StatefulSet sts = client.resource(new StatefulSetBuilder().withNewMetadata().withName("m").withNamespace("llm")
                .endMetadata().withNewSpec().withReplicas(1).endSpec().build()).create();
        // before its controller reported on the StatefulSet, nothing is read however long the pod is missing
        int before = server.getRequestCount();
        clock.advance(Duration.ofMinutes(5));
        assertThat(reader.read(client, ID, sts, List.of(), 1).looked()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(before);
        sts = new StatefulSetBuilder(sts).withNewStatus().withObservedGeneration(sts.getMetadata().getGeneration())
                .withReplicas(0).endStatus().build();
        reader.forget(ID);

        // missing for less than the grace: the StatefulSet controller is still creating the pod; nothing is read
        int requests = server.getRequestCount();
        WorkloadEvents early = reader.read(client, ID, sts, List.of(), 1);
        assertThat(early.looked()).isTrue();
        assertThat(early.statefulSet()).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(requests);

        clock.advance(WorkloadEventReader.MISSING_GRACE);
        assertThat(reader.read(client, ID, sts, List.of(), 1).statefulSet()).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(requests + 1);
        Instant t = clock.instant();
        new ControllerEvents(client).podNotCreated(sts, 0, "pods \"m-0\" is forbidden: pod rejected: RuntimeClass \"nvidia\" not found",
                1, t, t);

        // the next reconciles within the period reuse the read: no list of Events per pull or probe notice
        clock.advance(PERIOD.minusSeconds(1));
        assertThat(reader.read(client, ID, sts, List.of(), 1).statefulSet()).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(reader.read(client, ID, sts, List.of(), 1).statefulSet()).singleElement()
                .satisfies(e -> assertThat(e.getReason()).isEqualTo("FailedCreate"));
    }
}
