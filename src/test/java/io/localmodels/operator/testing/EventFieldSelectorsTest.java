package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test API server selects Events by field as a real one does, and refuses the fields a real one refuses. */
class EventFieldSelectorsTest {

    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    KubernetesMockServer server;
    KubernetesClient client;

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
    void selectsByTheEventsOwnFieldsAndRejectsOthers() {
        var controllers = new ControllerEvents(client);
        var sts = new StatefulSetBuilder().withNewMetadata().withName("m").withNamespace("llm").withUid("uid-a")
                .endMetadata().build();
        Event failed = controllers.podNotCreated(sts, 0, "pods \"m-0\" is forbidden: exceeded quota: gpu", 2, T0, T0);
        Event created = controllers.podCreated(new StatefulSetBuilder(sts).editMetadata().withUid("uid-b").endMetadata()
                .build(), 0, T0.plusSeconds(1));
        var events = client.v1().events().inNamespace("llm");

        assertThat(names(events.list().getItems())).containsExactlyInAnyOrder(name(failed), name(created));
        assertThat(names(events.withField("involvedObject.uid", "uid-a").list().getItems())).containsExactly(name(failed));
        assertThat(names(events.withFields(Map.of("involvedObject.kind", "StatefulSet", "type", "Warning",
                "source", "statefulset-controller")).list().getItems())).containsExactly(name(failed));
        assertThat(names(events.withoutField("reason", "FailedCreate").list().getItems())).containsExactly(name(created));
        assertThat(events.withField("involvedObject.uid", "uid-c").list().getItems()).isEmpty();
        assertThatThrownBy(() -> events.withField("count", "2").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("field label not supported: count");
                });
    }

    private static String name(Event e) {
        return e.getMetadata().getName();
    }

    private static List<String> names(List<Event> events) {
        return events.stream().map(EventFieldSelectorsTest::name).toList();
    }
}
