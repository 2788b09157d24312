package io.localmodels.operator.traffic;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.TrafficStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a router's status shows of each backend's traffic through it, and when that changes. */
class RouterTrafficBookTest {

    static final ResourceID GATEWAY = new ResourceID("gateway", "llm");
    static final ResourceID M = new ResourceID("m", "llm");
    static final Duration PERIOD = Duration.ofSeconds(30);

    private final RouterTrafficBook book = new RouterTrafficBook();
    private Instant now = Instant.parse("2026-12-03T10:00:00Z");

    private static BackendTraffic traffic(long successes, long backendFailures) {
        BackendTraffic t = new BackendTraffic();
        t.requests = successes + backendFailures;
        t.successes = successes;
        t.backendFailures = backendFailures;
        if (backendFailures > 0) {
            t.failuresByClass.put("Ollama_chat.Timeout", backendFailures);
        }
        t.state = backendFailures > 0 ? 1 : 0;
        return t;
    }

    /** One round of {@code gateway} reading {@code t} for m; returns the routers whose figures changed. */
    private Set<ResourceID> round(BackendTraffic t) {
        Instant since = now;
        now = now.plus(PERIOD);
        return book.update(now, since, Map.of(GATEWAY, Map.of(M, t)), Set.of());
    }

    private TrafficStatus shown() {
        return book.backends(GATEWAY, Map.of()).get("m");
    }

    @Test
    void steadyTrafficKeepsTheFiguresShownUntilTheyMoveMaterially() {
        assertThat(round(traffic(100, 0))).containsExactly(GATEWAY);
        String shownAt = shown().getObservedTime();

        assertThat(round(traffic(105, 0))).as("5 % more requests is noise").isEmpty();
        assertThat(shown().getObservedTime()).isEqualTo(shownAt);
        assertThat(round(traffic(95, 0))).isEmpty();
        assertThat(round(traffic(115, 0))).as("15 % more").containsExactly(GATEWAY);
        assertThat(shown().getRequests()).isEqualTo(115);
        assertThat(round(traffic(114, 1))).as("failures came").containsExactly(GATEWAY);
        assertThat(shown().getDeploymentState()).isEqualTo("partialOutage");
    }

    @Test
    void steadyFiguresAreRenewedAtTheHeartbeatWhileRequestsFlow() {
        round(traffic(100, 0));
        int quiet = 0;
        while (round(traffic(100, 0)).isEmpty()) {
            quiet++;
        }
        assertThat(Duration.ofSeconds(30).multipliedBy(quiet + 1)).isEqualTo(RouterTrafficBook.HEARTBEAT);
    }

    @Test
    void aBackendThatNeverCarriedARequestIsNotShownAndStoppedTrafficIsShownOnceAsZero() {
        assertThat(round(traffic(0, 0))).isEmpty();
        assertThat(book.backends(GATEWAY, Map.of())).isEmpty();

        round(traffic(20, 0));
        assertThat(round(traffic(0, 0))).containsExactly(GATEWAY);
        assertThat(shown().getRequests()).isZero();
        for (int i = 0; i < 30; i++) {
            assertThat(round(traffic(0, 0))).as("no heartbeat without requests").isEmpty();
        }
    }

    @Test
    void aRouterThatCouldNotBeReadKeepsItsLastFiguresMarkedStaleThenGoes() {
        round(traffic(100, 0));

        assertThat(book.update(now.plus(PERIOD), now, Map.of(), Set.of(GATEWAY))).containsExactly(GATEWAY);
        assertThat(shown().getStale()).isTrue();
        assertThat(shown().getRequests()).isEqualTo(100);
        assertThat(book.update(now.plus(PERIOD), now, Map.of(), Set.of(GATEWAY))).as("already marked").isEmpty();

        assertThat(book.update(now.plus(PERIOD), now, Map.of(), Set.of())).as("no proxy of it any more")
                .containsExactly(GATEWAY);
        assertThat(book.backends(GATEWAY, Map.of())).isEmpty();
    }

    @Test
    void aRouterShowsOnlyBackendsOfItsOwnNamespace() {
        round(traffic(10, 0));
        book.update(now.plus(PERIOD), now, Map.of(GATEWAY, Map.of(new ResourceID("m", "other"), traffic(10, 0))),
                Set.of());
        assertThat(book.backends(GATEWAY, Map.of())).isEmpty();
    }

    @Test
    void afterARestartWhatStatusShowsStandsAndSteadyOrStoppedTrafficRewritesNothing() {
        round(traffic(100, 0));
        round(traffic(0, 0)); // traffic stopped: shown once as zero
        TrafficStatus zero = shown();
        assertThat(zero.getRequests()).isZero();
        round(traffic(100, 0));
        TrafficStatus steady = shown();

        // a new process: its book is empty, the router's status shows what the last one wrote
        RouterTrafficBook restarted = new RouterTrafficBook();
        assertThat(restarted.backends(GATEWAY, Map.of("m", steady))).containsEntry("m", steady);
        Instant since = now;
        now = now.plus(PERIOD);
        assertThat(restarted.update(now, since, Map.of(GATEWAY, Map.of(M, traffic(103, 0))), Set.of()))
                .as("steady traffic, compared with what status shows").isEmpty();
        assertThat(restarted.backends(GATEWAY, Map.of())).containsEntry("m", steady);

        RouterTrafficBook quietRestart = new RouterTrafficBook();
        quietRestart.backends(GATEWAY, Map.of("m", zero));
        since = now;
        now = now.plus(PERIOD);
        assertThat(quietRestart.update(now, since, Map.of(GATEWAY, Map.of(M, traffic(0, 0))), Set.of()))
                .as("still no traffic: the zeros stand").isEmpty();
        assertThat(quietRestart.backends(GATEWAY, Map.of())).containsEntry("m", zero);
    }
}
