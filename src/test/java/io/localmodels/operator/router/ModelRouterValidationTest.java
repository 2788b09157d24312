package io.localmodels.operator.router;

import io.localmodels.operator.api.Backend;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterSpec;
import io.localmodels.operator.api.RoutedModel;
import io.localmodels.operator.api.SecretKeyRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Each broken spec gives exactly one problem, naming the field. */
class ModelRouterValidationTest {

    private static final SecretCatalog SECRETS = new SecretCatalog(Map.of(
            "litellm-master-key", Set.of("masterKey"),
            "langfuse-credentials", Set.of("LANGFUSE_PUBLIC_KEY", "LANGFUSE_SECRET_KEY", "LANGFUSE_HOST")), true);

    static Stream<Arguments> brokenSpecs() {
        return Stream.of(
                arguments("unknown fallback", (Consumer<ModelRouterSpec>) s -> model(s, 1).setFallbacks(List.of("nope")),
                        "spec.models[1].fallbacks[0]: 'nope' is not a model name of this router (known: gpt-oss:20b, qwen3:30b)"),
                arguments("unknown context-window fallback",
                        (Consumer<ModelRouterSpec>) s -> model(s, 0).setContextWindowFallbacks(List.of("huge")),
                        "spec.models[0].contextWindowFallbacks[0]: 'huge' is not a model name of this router (known: gpt-oss:20b, qwen3:30b)"),
                arguments("fallback cycle", (Consumer<ModelRouterSpec>) s -> model(s, 1).setFallbacks(List.of("qwen3:30b")),
                        "spec.models[0].fallbacks: fallback cycle qwen3:30b → gpt-oss:20b → qwen3:30b"),
                arguments("self fallback",
                        (Consumer<ModelRouterSpec>) s -> model(s, 0).setFallbacks(List.of("gpt-oss:20b", "qwen3:30b")),
                        "spec.models[0].fallbacks[1]: 'qwen3:30b' falls back to itself"),
                arguments("missing LocalModel", (Consumer<ModelRouterSpec>) s -> model(s, 1).getBackends().get(0).setLocalModel("gone"),
                        "spec.models[1].backends[0].localModel: LocalModel 'gone' not found in namespace llm"),
                arguments("duplicate name", (Consumer<ModelRouterSpec>) s -> {
                            model(s, 1).setName("qwen3:30b");
                            model(s, 0).setFallbacks(null);
                        },
                        "spec.models[1].name: 'qwen3:30b' is already used by spec.models[0]"),
                arguments("duplicate backend", (Consumer<ModelRouterSpec>) s -> model(s, 1).setBackends(
                                List.of(backend("gpt-oss-20b"), backend("gpt-oss-20b"))),
                        "spec.models[1].backends[1].localModel: 'gpt-oss-20b' is listed twice for this model"),
                arguments("no backends", (Consumer<ModelRouterSpec>) s -> model(s, 1).setBackends(List.of()),
                        "spec.models[1].backends: at least one backend is required"),
                arguments("unknown default", (Consumer<ModelRouterSpec>) s -> s.setDefaultModel("llama3"),
                        "spec.defaultModel: 'llama3' is not a model name of this router (known: gpt-oss:20b, qwen3:30b)"),
                arguments("name 'default' with a defaultModel", (Consumer<ModelRouterSpec>) s -> {
                            model(s, 1).setName("default");
                            model(s, 0).setFallbacks(List.of("default"));
                        },
                        "spec.models[1].name: 'default' is reserved for spec.defaultModel"),
                arguments("bad model timeout", (Consumer<ModelRouterSpec>) s -> model(s, 0).setTimeout("5 minutes"),
                        "spec.models[0].timeout: '5 minutes' is not a duration such as 30s, 5m or 1h30m"),
                arguments("bad cooldown", (Consumer<ModelRouterSpec>) s -> s.getPolicy().setCooldown("30"),
                        "spec.policy.cooldown: '30' is not a duration such as 30s, 5m or 1h30m"),
                arguments("bad policy timeout", (Consumer<ModelRouterSpec>) s -> s.getPolicy().setTimeout("2d"),
                        "spec.policy.timeout: '2d' is not a duration such as 30s, 5m or 1h30m"),
                arguments("unknown strategy", (Consumer<ModelRouterSpec>) s -> s.getPolicy().setRoutingStrategy("round-robin"),
                        "spec.policy.routingStrategy: 'round-robin' is not one of simple-shuffle, least-busy, latency-based-routing, usage-based-routing-v2"),
                arguments("negative retries", (Consumer<ModelRouterSpec>) s -> s.getPolicy().getRetryPolicy().setRateLimit(-1),
                        "spec.policy.retryPolicy.rateLimit: must not be negative, was -1"),
                arguments("unknown log level", (Consumer<ModelRouterSpec>) s -> s.getSettings().setLogLevel("TRACE"),
                        "spec.settings.logLevel: 'TRACE' is not one of DEBUG, INFO, WARNING, ERROR"),
                arguments("a budget LiteLLM would not enforce", (Consumer<ModelRouterSpec>) s -> s.getSettings().setMaxBudget(100.0),
                        "spec.settings.maxBudget: LiteLLM would not enforce it: its global budget needs database mode"
                                + " (not supported), is skipped for master-key requests and counts Ollama models at $0; remove it"),
                arguments("a budget period without a budget", (Consumer<ModelRouterSpec>) s -> s.getSettings().setBudgetDuration("30d"),
                        "spec.settings.budgetDuration: resets a budget LiteLLM does not enforce here (see"
                                + " spec.settings.maxBudget); remove it"),
                arguments("retries after a 500 that LiteLLM ignores",
                        (Consumer<ModelRouterSpec>) s -> s.getPolicy().getRetryPolicy().setInternalServerError(2),
                        "spec.policy.retryPolicy.internalServerError: LiteLLM 1.80.11 never reads InternalServerErrorRetries,"
                                + " so it would have no effect; remove it (500s are retried spec.policy.numRetries times)"),
                arguments("unknown callback type", (Consumer<ModelRouterSpec>) s -> s.getCallbacks().get(0).setType("datadog"),
                        "spec.callbacks[0].type: 'datadog' is not one of langfuse"),
                arguments("unknown callback event", (Consumer<ModelRouterSpec>) s -> s.getCallbacks().get(0).setEvents(List.of("success", "always")),
                        "spec.callbacks[0].events[1]: 'always' is not one of success, failure"),
                arguments("langfuse without secretRef", (Consumer<ModelRouterSpec>) s -> s.getCallbacks().get(0).setSecretRef(null),
                        "spec.callbacks[0].secretRef: a langfuse callback needs a Secret with LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY"),
                arguments("langfuse Secret missing", (Consumer<ModelRouterSpec>) s -> s.getCallbacks().get(0).setSecretRef("lf-typo"),
                        "spec.callbacks[0].secretRef: Secret 'lf-typo' not found in namespace llm"),
                arguments("master-key Secret missing", (Consumer<ModelRouterSpec>) s -> s.getMasterKeySecretRef().setName("mk-typo"),
                        "spec.masterKeySecretRef.name: Secret 'mk-typo' not found in namespace llm"),
                arguments("master-key key missing", (Consumer<ModelRouterSpec>) s -> s.getMasterKeySecretRef().setKey("key"),
                        "spec.masterKeySecretRef.key: Secret 'litellm-master-key' has no key key"),
                arguments("database mode, even with its Secret in place",
                        (Consumer<ModelRouterSpec>) s -> s.setDatabaseUrlSecretRef(ref("litellm-master-key", "masterKey")),
                        "spec.databaseUrlSecretRef: database mode is not supported: at every start LiteLLM runs Prisma"
                                + " migrations, which fail as the non-root user (uid 1000) the proxy runs as; remove it"),
                arguments("no models", (Consumer<ModelRouterSpec>) s -> {
                            s.setModels(List.of());
                            s.setDefaultModel(null);
                        },
                        "spec.models: at least one model is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenSpecs")
    void namesTheField(String name, Consumer<ModelRouterSpec> breakIt, String expected) {
        ModelRouter router = RouterFixtures.router("gateway/router.yaml");
        breakIt.accept(router.getSpec());

        LiteLlmConfig config = LiteLlmConfig.render(router, RouterFixtures.localModels("localmodels-healthy.yaml"), SECRETS);

        assertThat(config.problems()).containsExactly(expected);
        assertThat(config.valid()).isFalse();
    }

    @Test
    void theGatewaySampleIsValidWithItsSecrets() {
        LiteLlmConfig config = LiteLlmConfig.render(RouterFixtures.router("gateway/router.yaml"),
                RouterFixtures.localModels("localmodels-healthy.yaml"), SECRETS);
        assertThat(config.problems()).isEmpty();
    }

    @Test
    void langfuseSecretWithoutItsKeysIsNamed() {
        SecretCatalog partial = new SecretCatalog(Map.of("litellm-master-key", Set.of("masterKey"),
                "langfuse-credentials", Set.of("LANGFUSE_HOST")), true);
        LiteLlmConfig config = LiteLlmConfig.render(RouterFixtures.router("gateway/router.yaml"),
                RouterFixtures.localModels("localmodels-healthy.yaml"), partial);
        assertThat(config.problems()).containsExactly(
                "spec.callbacks[0].secretRef: Secret 'langfuse-credentials' has no key LANGFUSE_PUBLIC_KEY",
                "spec.callbacks[0].secretRef: Secret 'langfuse-credentials' has no key LANGFUSE_SECRET_KEY");
    }

    @Test
    void aLongerCycleIsReportedOnce() {
        ModelRouter router = RouterFixtures.router("gateway/router.yaml");
        RoutedModel third = new RoutedModel();
        third.setName("small");
        third.setBackends(List.of(backend("gpt-oss-20b")));
        third.setFallbacks(List.of("qwen3:30b"));
        List<RoutedModel> models = new ArrayList<>(router.getSpec().getModels());
        models.add(third);
        router.getSpec().setModels(models);
        model(router.getSpec(), 1).setFallbacks(List.of("small"));

        LiteLlmConfig config = LiteLlmConfig.render(router, RouterFixtures.localModels("localmodels-healthy.yaml"), SECRETS);
        assertThat(config.problems())
                .containsExactly("spec.models[0].fallbacks: fallback cycle qwen3:30b → gpt-oss:20b → small → qwen3:30b");
    }

    /** An embedding backend and a chat backend under one name: each kind of request would fail on one of them. */
    @Test
    void chatAndEmbeddingBackendsUnderOneNameAreNamed() {
        ModelRouter router = RouterFixtures.router("gateway/router.yaml");
        model(router.getSpec(), 0).setBackends(List.of(backend("qwen3-30b"), backend("gpt-oss-20b")));
        var localModels = RouterFixtures.localModels("localmodels-healthy.yaml");
        localModels.get("gpt-oss-20b").getStatus().getModel().setCapabilities(List.of("embedding"));

        LiteLlmConfig config = LiteLlmConfig.render(router, localModels, SECRETS);

        assertThat(config.problems()).containsExactly("spec.models[0].backends[1].localModel: LocalModel 'gpt-oss-20b'"
                + " serves embeddings (capabilities: embedding, no completion) but backends[0] 'qwen3-30b' serves chat;"
                + " one model name serves one kind, give each its own name");
        assertThat(config.valid()).isFalse();
    }

    @Test
    void aBackendWhoseCapabilitiesAreNotKnownYetIsNotCalledMixed() {
        ModelRouter router = RouterFixtures.router("gateway/router.yaml");
        model(router.getSpec(), 0).setBackends(List.of(backend("qwen3-30b"), backend("gpt-oss-20b")));
        var localModels = RouterFixtures.localModels("localmodels-healthy.yaml");
        localModels.get("qwen3-30b").getStatus().getModel().setCapabilities(List.of("embedding"));
        localModels.get("gpt-oss-20b").getStatus().setModel(null);

        assertThat(LiteLlmConfig.render(router, localModels, SECRETS).problems()).isEmpty();
    }

    private static RoutedModel model(ModelRouterSpec s, int i) {
        return s.getModels().get(i);
    }

    private static Backend backend(String localModel) {
        Backend b = new Backend();
        b.setLocalModel(localModel);
        return b;
    }

    private static SecretKeyRef ref(String name, String key) {
        SecretKeyRef r = new SecretKeyRef();
        r.setName(name);
        r.setKey(key);
        return r;
    }

}
