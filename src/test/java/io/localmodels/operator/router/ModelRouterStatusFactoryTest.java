package io.localmodels.operator.router;

import io.fabric8.kubernetes.api.model.Condition;
import io.localmodels.operator.api.ModelRouter;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Conditions claim only what LiteLLM does. */
class ModelRouterStatusFactoryTest {

    private final ModelRouterStatusFactory factory =
            new ModelRouterStatusFactory(Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));

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
}
