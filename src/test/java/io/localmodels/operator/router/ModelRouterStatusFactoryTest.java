package io.localmodels.operator.router;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterStatus;
import io.localmodels.operator.api.TrafficStatus;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Rows of the router's phase and Available condition, from the proxy Deployment as its controller reports it. */
class ModelRouterStatusFactoryTest {

    static final String QUOTA = "pods \"gateway-6b8f9c7d5-\" is forbidden: exceeded quota: compute, requested: "
            + "limits.memory=2Gi, used: limits.memory=7Gi, limited: limits.memory=8Gi";

    private final ModelRouterStatusFactory factory =
            new ModelRouterStatusFactory(Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));
    private final ModelRouter router = RouterFixtures.router("gateway/router.yaml");
    private final LiteLlmConfig config = LiteLlmConfig.render(router, RouterFixtures.localModels("gateway/localmodels.yaml"));

    @Test
    void proxyPodsThatCannotBeCreatedFailTheRouterWithTheApiServersAnswer() {
        ModelRouterStatus status = factory.build(router, config, config.hash(), null, deployment(0, true));

        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(available(status).getStatus()).isEqualTo("False");
        assertThat(available(status).getReason()).isEqualTo("FailedCreate");
        assertThat(available(status).getMessage()).isEqualTo("0/2 proxy replicas ready: " + QUOTA);
    }

    @Test
    void aReplicaThatCannotBeCreatedBesideAReadyOneKeepsTheRouterServingAndSaysWhy() {
        ModelRouterStatus status = factory.build(router, config, config.hash(), null, deployment(1, true));

        assertThat(status.getPhase()).isEqualTo("Ready");
        assertThat(available(status).getStatus()).isEqualTo("True");
        assertThat(available(status).getMessage()).isEqualTo("1/2 proxy replicas ready: " + QUOTA);
    }

    @Test
    void withoutAReplicaFailureNoReadyReplicaIsPending() {
        ModelRouterStatus status = factory.build(router, config, config.hash(), null, deployment(0, false));

        assertThat(status.getPhase()).isEqualTo("Pending");
        assertThat(available(status).getReason()).isEqualTo("NoReadyReplicas");
        assertThat(available(status).getMessage()).isEqualTo("0/2 proxy replicas ready");
    }

    /** The Deployment's status as its controller writes it; ReplicaFailure is copied from the new ReplicaSet. */
    private static Deployment deployment(int ready, boolean replicaFailure) {
        var status = new DeploymentBuilder().withNewMetadata().withName("gateway").withNamespace("llm").endMetadata()
                .withNewStatus().withObservedGeneration(1L).withReplicas(ready).withReadyReplicas(ready == 0 ? null : ready)
                .withUnavailableReplicas(2 - ready)
                .addNewCondition().withType("Available").withStatus("False").withReason("MinimumReplicasUnavailable")
                .withMessage("Deployment does not have minimum availability.").endCondition()
                .addNewCondition().withType("Progressing").withStatus("True").withReason("ReplicaSetUpdated")
                .withMessage("ReplicaSet \"gateway-6b8f9c7d5\" is progressing.").endCondition();
        if (replicaFailure) {
            status.addNewCondition().withType("ReplicaFailure").withStatus("True").withReason("FailedCreate")
                    .withMessage(QUOTA).endCondition();
        }
        return status.endStatus().build();
    }

    private static Condition available(ModelRouterStatus status) {
        return status.getConditions().stream().filter(c -> "Available".equals(c.getType())).findFirst().orElseThrow();
    }

    @Test
    void aBudgetIsRefusedAndNoConditionSaysItIsEnforced() {
        ModelRouter router = RouterFixtures.router("gateway/router.yaml");
        router.getSpec().getSettings().setMaxBudget(100.0);

        var status = factory.build(router, LiteLlmConfig.render(router,
                RouterFixtures.localModels("gateway/localmodels.yaml")), null, null, null);

        assertThat(status.getConditions()).extracting(Condition::getType)
                .containsExactlyInAnyOrder(ModelRouterStatusFactory.CONFIG_VALID, ModelRouterStatusFactory.AVAILABLE,
                        ModelRouterStatusFactory.DEGRADED);
        assertThat(status.getConditions()).filteredOn(c -> c.getType().equals(ModelRouterStatusFactory.CONFIG_VALID))
                .singleElement().satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getMessage()).contains("spec.settings.maxBudget: LiteLLM would not enforce it");
                });
    }

    @Test
    void backendDetailsWaitForTheStatusPeriodWhileWhatUsersActOnIsWrittenAtOnce() {
        Instant now = Instant.parse("2026-11-25T10:00:10Z");
        Optional<Instant> lastWrite = Optional.of(Instant.parse("2026-11-25T10:00:00Z"));
        Duration period = Duration.ofSeconds(30);
        var pacing = ModelRouterStatusFactory.pacing(period);
        ModelRouterStatus written = factory.build(router, config, config.hash(), null, deployment(2, false));

        // a backend came up: only counts and reasons move (the config waits for its rollout)
        LiteLlmConfig same = LiteLlmConfig.render(router, RouterFixtures.localModels("gateway/localmodels.yaml"));
        ModelRouterStatus counts = factory.build(router, same, config.hash(), null, deployment(2, false));
        counts.getModels().get(0).setHealthyBackends(counts.getModels().get(0).getHealthyBackends() + 1);
        assertThat(pacing.writeAt(written, counts, now, lastWrite)).isEqualTo(lastWrite.get().plus(period));
        assertThat(pacing.writeAt(written, counts, now, Optional.empty())).as("nothing written yet").isEqualTo(now);
        assertThat(pacing.writeAt(written, counts, Instant.parse("2026-11-25T10:01:00Z"), lastWrite))
                .as("the period is over").isEqualTo(Instant.parse("2026-11-25T10:01:00Z"));

        // a rollout (its ConfigApplied Event is at once) and the proxy's ready count moving during it: with the period
        ModelRouterStatus rolled = factory.build(router, config, "0".repeat(64), null, deployment(2, false));
        assertThat(pacing.writeAt(written, rolled, now, lastWrite)).isEqualTo(lastWrite.get().plus(period));
        ModelRouterStatus oneReady = factory.build(router, config, config.hash(), null, deployment(1, false));
        assertThat(pacing.writeAt(written, oneReady, now, lastWrite)).isEqualTo(lastWrite.get().plus(period));
        // the proxy losing its last ready replica turns Available and the phase: at once
        ModelRouterStatus down = factory.build(router, config, config.hash(), null, deployment(0, false));
        assertThat(pacing.writeAt(written, down, now, lastWrite)).isEqualTo(now);
        assertThat(pacing.writeAt(null, counts, now, lastWrite)).as("no status yet").isEqualTo(now);
    }

    @Test
    void backendsTrafficFiguresAreBackendDetails() {
        Instant now = Instant.parse("2026-11-25T10:00:10Z");
        Optional<Instant> lastWrite = Optional.of(Instant.parse("2026-11-25T10:00:00Z"));
        Duration period = Duration.ofSeconds(30);
        ModelRouterStatus written = factory.build(router, config, config.hash(), null, deployment(2, false));
        ModelRouterStatus withTraffic = factory.build(router, config, config.hash(), null, deployment(2, false));
        TrafficStatus figures = new TrafficStatus();
        figures.setRequests(12L);
        figures.setStale(true);
        String backend = router.getSpec().getModels().get(0).getBackends().get(0).getLocalModel();
        withTraffic.setModels(BackendTrafficList.attach(router, withTraffic.getModels(), Map.of(backend, figures)));

        assertThat(withTraffic.getModels().get(0).getTraffic()).singleElement().satisfies(t -> {
            assertThat(t.getLocalModel()).isEqualTo(backend);
            assertThat(t.getRequests()).isEqualTo(12L);
        });
        assertThat(written.getModels().get(0).getTraffic()).as("the rendered config's models are not changed").isNull();
        assertThat(ModelRouterStatusFactory.pacing(period).writeAt(written, withTraffic, now, lastWrite))
                .as("even a stale mark waits for the period").isEqualTo(lastWrite.get().plus(period));
    }
}
