package io.localmodels.operator.router;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.Backend;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** A router's renders with memory of the last one write what a render without memory writes, byte for byte. */
class RouterRendersTest {

    private final RouterRenders renders = new RouterRenders();
    private final ModelRouter router = RouterFixtures.router("gateway/router.yaml");
    private final Map<String, LocalModel> models = RouterFixtures.localModels("gateway/localmodels.yaml");

    @Test
    void everyChangeARouterSeesRendersAsWithoutMemory() {
        List<Consumer<Void>> changes = new ArrayList<>();
        changes.add(v -> { }); // the same inputs again: every entry from memory
        changes.add(v -> lm("qwen3-30b").getStatus().getHealth().setCircuit("Open"));
        changes.add(v -> lm("qwen3-30b").getStatus().getHealth().setCircuit("Closed"));
        changes.add(v -> lm("gpt-oss-20b").getStatus().getModel().setContextLength(8192));
        changes.add(v -> lm("gpt-oss-20b").getStatus().getModel().setCapabilities(List.of("completion")));
        changes.add(v -> lm("qwen3-30b").getStatus().setEndpoint("http://10.0.0.7:11434/"));
        changes.add(v -> router.getSpec().getModels().get(0).getBackends().get(0).setWeight(3));
        changes.add(v -> router.getSpec().getModels().get(0).setTimeout("90s"));
        changes.add(v -> router.getSpec().setDefaultModel("gpt-oss:20b"));
        changes.add(v -> {
            Backend second = new Backend();
            second.setLocalModel("gpt-oss-20b");
            router.getSpec().getModels().get(0).setBackends(
                    List.of(router.getSpec().getModels().get(0).getBackends().get(0), second));
        });
        changes.add(v -> lm("gpt-oss-20b").getStatus().getModel().setCapabilities(List.of("embedding")));
        changes.add(v -> router.getSpec().setModels(List.of()));
        changes.add(v -> router.getSpec().setModels(RouterFixtures.router("gateway/router.yaml").getSpec().getModels()));

        for (int i = 0; i < changes.size(); i++) {
            changes.get(i).accept(null);
            LiteLlmConfig remembered = renders.render(router, models, SecretCatalog.UNCHECKED, OutOfShard.NONE);
            LiteLlmConfig fresh = LiteLlmConfig.render(router, models);
            assertThat(remembered.yaml()).as("render after change %d", i).isEqualTo(fresh.yaml());
            assertThat(remembered.hash()).isEqualTo(fresh.hash());
            assertThat(remembered.deploymentIds()).as("ids after change %d", i)
                    .isEqualTo(LiteLlmConfig.deploymentIds(fresh.yaml()));
        }
    }

    @Test
    void aConfigThatOnlyTakesBackendsOutIsToldFromRememberedIdsOrFromTheAppliedText() {
        Backend second = new Backend();
        second.setLocalModel("gpt-oss-20b");
        router.getSpec().getModels().get(0).setBackends(
                List.of(router.getSpec().getModels().get(0).getBackends().get(0), second));
        LiteLlmConfig applied = LiteLlmConfig.render(router, models);
        lm("qwen3-30b").getStatus().getHealth().setCircuit("Open");
        ResourceID id = ResourceID.fromResource(router);
        LiteLlmConfig fewer = renders.render(router, models, SecretCatalog.UNCHECKED, OutOfShard.NONE);

        // not rendered by this memory (another process applied it): read from the ConfigMap's text
        assertThat(renders.onlyRemovesBackends(id, applied.hash(), applied.yaml(), fewer)).isTrue();
        // rendered here: its text is not read (a wrong text would change the answer if it were)
        assertThat(renders.onlyRemovesBackends(id, fewer.hash(), "model_list: []\n", applied)).isFalse();
        assertThat(renders.onlyRemovesBackends(id, applied.hash(), "model_list: []\n", fewer)).isTrue();
    }

    private LocalModel lm(String name) {
        return models.get(name);
    }
}
