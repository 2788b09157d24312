package io.localmodels.operator.status;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelSpec;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.testing.MockCluster;
import io.localmodels.operator.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Coalesced status writes against the mock API server, on a clock the test moves. */
class StatusWriterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final List<String> transitions = new ArrayList<>();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private StatusWriter<LocalModel, LocalModelStatus> writer;
    private EventRecorder events;

    @BeforeEach
    void setUp() {
        server = MockCluster.apiServer();
        client = server.createClient();
        MockCluster.installCrds(client);
        writer = new StatusWriter<>(clock, StatusWriter.Pacing.coalesced());
        events = new EventRecorder(client, clock);
        LocalModel lm = new LocalModel();
        lm.getMetadata().setName("m");
        lm.getMetadata().setNamespace("llm");
        LocalModelSpec spec = new LocalModelSpec();
        spec.setModel("qwen3:0.6b");
        lm.setSpec(spec);
        client.resource(lm).create();
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.destroy();
    }

    @Test
    void changesWithinASecondOfTheFirstAreWrittenOnceWithTheLast() throws InterruptedException {
        drainStatusWrites();

        StatusWriter.Outcome pending = write("Pending");
        assertThat(pending.wrote()).isFalse();
        assertThat(pending.comeBackIn()).contains(StatusWriter.COALESCE);
        clock.advance(Duration.ofMillis(400));
        assertThat(write("Pulling").comeBackIn()).contains(Duration.ofMillis(600));
        clock.advance(Duration.ofMillis(500));
        assertThat(write("Loading").comeBackIn()).contains(Duration.ofMillis(100));
        assertThat(drainStatusWrites()).isZero();

        clock.advance(Duration.ofMillis(100));
        StatusWriter.Outcome due = write("Loading");

        assertThat(due).isEqualTo(new StatusWriter.Outcome(true, Optional.empty()));
        assertThat(drainStatusWrites()).isEqualTo(1);
        assertThat(stored().getStatus().getPhase()).isEqualTo("Loading");
        assertThat(transitions).containsExactly("null→Loading");
    }

    @Test
    void noChangeWaitsLongerThanTheWindowHoweverManyFollow() {
        write("Pending");
        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofMillis(100));
            assertThat(write(i % 2 == 0 ? "Pulling" : "Loading").comeBackIn()).get()
                    .satisfies(d -> assertThat(d).isLessThanOrEqualTo(StatusWriter.COALESCE));
        }
        clock.advance(Duration.ofMillis(100));
        assertThat(write("Failed").wrote()).isTrue();
        assertThat(stored().getStatus().getPhase()).isEqualTo("Failed");
    }

    @Test
    void aChangeUndoneWithinTheWindowIsNeverWrittenAndTheNextWaitsAfresh() throws InterruptedException {
        clock.advance(Duration.ofSeconds(5));
        write("Pending");
        clock.advance(StatusWriter.COALESCE);
        assertThat(write("Pending").wrote()).isTrue();
        drainStatusWrites();

        LocalModel cached = stored();
        assertThat(writer.write(client, cached, status("Pulling"), events, this::record).wrote()).isFalse();
        clock.advance(Duration.ofMillis(500));
        // back to what is stored: nothing to write, nothing held
        assertThat(writer.write(client, cached, status("Pending"), events, this::record))
                .isEqualTo(new StatusWriter.Outcome(false, Optional.empty()));
        clock.advance(Duration.ofMillis(600));
        assertThat(writer.write(client, cached, status("Loading"), events, this::record).comeBackIn())
                .contains(StatusWriter.COALESCE);
        assertThat(drainStatusWrites()).isZero();
    }

    @Test
    void whatWasLastWrittenIsNotWrittenAgainWhileTheCacheStillShowsTheOldStatus() throws InterruptedException {
        LocalModel stale = stored();
        writer.write(client, stale, status("Pending"), events, this::record);
        clock.advance(StatusWriter.COALESCE);
        assertThat(writer.write(client, stale, status("Pending"), events, this::record).wrote()).isTrue();
        drainStatusWrites();

        // the cache lags behind our write: the same status again is unchanged, not a second write
        assertThat(writer.write(client, stale, status("Pending"), events, this::record))
                .isEqualTo(new StatusWriter.Outcome(false, Optional.empty()));
        clock.advance(StatusWriter.COALESCE);
        assertThat(writer.write(client, stale, status("Pending"), events, this::record).wrote()).isFalse();
        assertThat(drainStatusWrites()).isZero();
        assertThat(transitions).containsExactly("null→Pending");
    }

    @Test
    void aChangeUndoneWhileTheCacheLagsIsWrittenBackNotTakenForTheStaleCache() {
        write("Pending");
        clock.advance(StatusWriter.COALESCE);
        assertThat(write("Pending").wrote()).isTrue();
        LocalModel cached = stored(); // shows Pending
        writer.write(client, cached, status("Pulling"), events, this::record);
        clock.advance(StatusWriter.COALESCE);
        assertThat(writer.write(client, cached, status("Pulling"), events, this::record).wrote()).isTrue();

        // the cache still shows Pending, the API server has Pulling: back to Pending is a change to write
        assertThat(writer.write(client, cached, status("Pending"), events, this::record).comeBackIn())
                .contains(StatusWriter.COALESCE);
        // once the cache shows our write, it is what the next status is compared with
        LocalModel caughtUp = stored();
        assertThat(writer.write(client, caughtUp, status("Pulling"), events, this::record))
                .isEqualTo(new StatusWriter.Outcome(false, Optional.empty()));
        assertThat(transitions).containsExactly("null→Pending", "Pending→Pulling");
    }

    @Test
    void aWriteOfTheStatusAloneLeavesTheRestOfTheResourceAsItWas() {
        LocalModel seen = stored();
        writer.write(client, seen, status("Pending"), events, this::record);
        clock.advance(StatusWriter.COALESCE);
        assertThat(writer.write(client, seen, status("Pending"), events, this::record).wrote()).isTrue();

        LocalModel now = stored();
        assertThat(now.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(now.getSpec().getModel()).isEqualTo("qwen3:0.6b");
        assertThat(now.getMetadata().getUid()).isEqualTo(seen.getMetadata().getUid());
        assertThat(now.getMetadata().getGeneration()).isEqualTo(seen.getMetadata().getGeneration());
    }

    private StatusWriter.Outcome write(String phase) {
        return writer.write(client, stored(), status(phase), events, this::record);
    }

    private void record(EventRecorder recorder, LocalModel lm, LocalModelStatus before, LocalModelStatus after) {
        transitions.add((before == null ? null : before.getPhase()) + "→" + after.getPhase());
    }

    private static LocalModelStatus status(String phase) {
        LocalModelStatus s = new LocalModelStatus();
        s.setPhase(phase);
        return s;
    }

    private LocalModel stored() {
        return client.resources(LocalModel.class).inNamespace("llm").withName("m").get();
    }

    private int drainStatusWrites() throws InterruptedException {
        int writes = 0;
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (r.getMethod().equals("PUT") && r.getPath().endsWith("/localmodels/m/status")) {
                writes++;
            }
        }
        return writes;
    }
}
