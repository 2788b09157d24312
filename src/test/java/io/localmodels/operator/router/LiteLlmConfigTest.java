package io.localmodels.operator.router;

import io.localmodels.operator.kube.Sha256;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden tests: a ModelRouter and LocalModel statuses → the expected config.yaml, compared key by key. */
class LiteLlmConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "circuit-open", "fail-static", "weights-no-gating", "embeddings"})
    void rendersTheExpectedConfig(String dir) {
        LiteLlmConfig config = LiteLlmConfig.render(RouterFixtures.router(dir + "/router.yaml"),
                RouterFixtures.localModels(dir + "/localmodels.yaml"));

        assertThat(config.problems()).isEmpty();
        Object expected = RouterFixtures.documents(dir + "/expected-config.yaml").get(0);
        assertThat(YamlTrees.differences(expected, RouterFixtures.parse(config.yaml())))
                .as("differences from %s/expected-config.yaml in\n%s", dir, config.yaml())
                .isEmpty();
        assertThat(config.hash()).matches("[0-9a-f]{64}").isEqualTo(Sha256.hex(config.yaml()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "circuit-open", "fail-static", "weights-no-gating", "embeddings"})
    void theTextIsWhatOneDumpOfItsWholeTreeWrites(String dir) {
        // the text is put together from each model_list entry's own dump; one dump of the whole must give the same bytes
        String yaml = LiteLlmConfig.render(RouterFixtures.router(dir + "/router.yaml"),
                RouterFixtures.localModels(dir + "/localmodels.yaml")).yaml();

        assertThat(yaml).isEqualTo(LiteLlmConfig.dumper().dump(RouterFixtures.parse(yaml)));
    }

    @Test
    void theShippedSampleRendersLikeTheGatewayFixture() throws IOException {
        String sample = Files.readString(Path.of("manifests/samples/modelrouter-gateway.yaml"));
        ModelRouter router = RouterFixtures.SERIALIZATION.unmarshal(sample, ModelRouter.class);
        LiteLlmConfig config = LiteLlmConfig.render(router, RouterFixtures.localModels("localmodels-healthy.yaml"));

        assertThat(config.problems()).isEmpty();
        assertThat(router.getSpec().getCallbacks().get(0).getEvents()).containsExactly("success", "failure");
        assertThat(config.yaml()).isEqualTo(LiteLlmConfig.render(RouterFixtures.router("gateway/router.yaml"),
                RouterFixtures.localModels("gateway/localmodels.yaml")).yaml());
    }

    @Test
    void sameInputsGiveTheSameTextWhateverTheMapOrder() {
        ModelRouter router = RouterFixtures.router("gateway/router.yaml");
        Map<String, LocalModel> forward = RouterFixtures.localModels("gateway/localmodels.yaml");
        Map<String, LocalModel> reversed = new LinkedHashMap<>();
        List<String> names = new java.util.ArrayList<>(forward.keySet());
        java.util.Collections.reverse(names);
        names.forEach(k -> reversed.put(k, forward.get(k)));

        LiteLlmConfig a = LiteLlmConfig.render(router, forward);
        LiteLlmConfig b = LiteLlmConfig.render(router, reversed);

        assertThat(b.yaml()).isEqualTo(a.yaml());
        assertThat(b.hash()).isEqualTo(a.hash());
    }

    @Test
    void anOpenCircuitIsReportedAsExcludedAndChangesTheHash() {
        ModelRouter router = RouterFixtures.router("circuit-open/router.yaml");
        Map<String, LocalModel> lms = RouterFixtures.localModels("circuit-open/localmodels.yaml");

        LiteLlmConfig open = LiteLlmConfig.render(router, lms);
        assertThat(open.degraded()).isFalse();
        assertThat(open.models()).singleElement().satisfies(m -> {
            assertThat(m.getBackends()).isEqualTo(2);
            assertThat(m.getHealthyBackends()).isEqualTo(1);
            assertThat(m.getExcluded()).singleElement().satisfies(e -> {
                assertThat(e.getLocalModel()).isEqualTo("qwen3-30b");
                assertThat(e.getReason()).isEqualTo("circuit Open");
            });
        });

        lms.get("qwen3-30b").getStatus().getHealth().setCircuit("Closed");
        LiteLlmConfig closed = LiteLlmConfig.render(router, lms);
        assertThat(closed.hash()).isNotEqualTo(open.hash());
        assertThat(closed.yaml()).contains("http://qwen3-30b.llm.svc.cluster.local:11434");
        assertThat(closed.models().get(0).getExcluded()).isEmpty();
    }

    @Test
    void failStaticKeepsEveryBackendAndSaysWhy() {
        LiteLlmConfig config = LiteLlmConfig.render(RouterFixtures.router("fail-static/router.yaml"),
                RouterFixtures.localModels("fail-static/localmodels.yaml"));

        assertThat(config.degraded()).isTrue();
        assertThat(config.degradedDetail())
                .isEqualTo("gpt-oss:20b has no healthy backend (gpt-oss-20b: not Ready: ModelPulling); "
                        + "serving all backends (fail static)");
        assertThat(config.models().get(1).getHealthyBackends()).isZero();
        assertThat(config.models().get(1).getExcluded()).isEmpty();
    }

    @Test
    void notReadyAndMissingBackendsAreLeftOutWithTheirReason() {
        ModelRouter router = RouterFixtures.router("circuit-open/router.yaml");
        Map<String, LocalModel> lms = RouterFixtures.localModels("circuit-open/localmodels.yaml");
        lms.get("qwen3-30b").getStatus().getHealth().setCircuit("HalfOpen");
        lms.get("qwen3-30b").getStatus().getConditions().get(0).setStatus("False");
        lms.get("qwen3-30b").getStatus().getConditions().get(0).setReason("ProbesFailing");

        LiteLlmConfig config = LiteLlmConfig.render(router, lms);
        assertThat(config.models().get(0).getExcluded()).singleElement()
                .satisfies(e -> assertThat(e.getReason()).isEqualTo("not Ready: ProbesFailing"));

        lms.remove("qwen3-30b");
        LiteLlmConfig missing = LiteLlmConfig.render(router, lms);
        assertThat(missing.models().get(0).getExcluded()).singleElement()
                .satisfies(e -> assertThat(e.getReason()).isEqualTo("LocalModel not found"));
        assertThat(missing.problems()).containsExactly(
                "spec.models[0].backends[0].localModel: LocalModel 'qwen3-30b' not found in namespace llm");
    }
}
