package io.localmodels.operator.router;

import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rendered keys against what the pinned LiteLLM (1.80.11) actually reads; each case names the LiteLLM source that
 * makes it necessary (see docs/routing.md).
 */
class LiteLlmConformanceTest {

    private final ModelRouter router = RouterFixtures.router("gateway/router.yaml");
    private final Map<String, LocalModel> localModels = RouterFixtures.localModels("gateway/localmodels.yaml");

    /** cooldown_handlers._is_allowed_fails_set_on_router: allowed_fails equal to litellm.allowed_fails (3) is "unset". */
    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5})
    void allowedFailsAlwaysComesWithAPolicySoLiteLlmCountsIt(int allowedFails) {
        router.getSpec().getPolicy().setAllowedFails(allowedFails);

        Map<String, Object> settings = routerSettings(render());

        assertThat(settings).containsEntry("allowed_fails", allowedFails)
                .containsEntry("allowed_fails_policy", Map.of("TimeoutErrorAllowedFails", allowedFails));
    }

    @Test
    void withoutAllowedFailsThereIsNoPolicyEither() {
        router.getSpec().getPolicy().setAllowedFails(null);

        assertThat(routerSettings(render())).doesNotContainKeys("allowed_fails", "allowed_fails_policy");
    }

    /** get_retry_from_policy.get_num_retries_from_retry_policy has no InternalServerError branch in 1.80. */
    @Test
    void retriesAfterA500AreNeverRendered() {
        RetryPolicy r = router.getSpec().getPolicy().getRetryPolicy();
        r.setInternalServerError(2);

        LiteLlmConfig config = render();

        assertThat(routerSettings(config).get("retry_policy"))
                .isEqualTo(Map.of("TimeoutErrorRetries", 1, "RateLimitErrorRetries", 3));
        assertThat(config.yaml()).doesNotContain("InternalServerErrorRetries");
        assertThat(config.valid()).isFalse();
    }

    /** Nothing about budgets or a database reaches the config: LiteLLM would not enforce it here. */
    @Test
    void budgetAndDatabaseKeysAreNeverRendered() {
        router.getSpec().getSettings().setMaxBudget(100.0);
        router.getSpec().getSettings().setBudgetDuration("30d");
        var ref = new io.localmodels.operator.api.SecretKeyRef();
        ref.setName("litellm-db");
        ref.setKey("url");
        router.getSpec().setDatabaseUrlSecretRef(ref);

        LiteLlmConfig config = render();

        assertThat(config.yaml()).doesNotContain("max_budget", "budget_duration", "database_url", "DATABASE_URL");
        assertThat(config.problems()).hasSize(3);
    }

    /** Router._get_non_stream_timeout: a deployment's litellm_params.timeout wins over router_settings.timeout. */
    @Test
    void aBackendTimeoutIsWrittenOnlyWhenTheModelSetsOne() {
        router.getSpec().getModels().get(1).setTimeout(null);

        LiteLlmConfig config = render();

        assertThat(routerSettings(config)).containsEntry("timeout", 120);
        assertThat(params(config, "qwen3:30b")).containsEntry("timeout", 300);
        assertThat(params(config, "gpt-oss:20b")).doesNotContainKey("timeout");
    }

    /** OllamaChatConfig.get_complete_url appends /api/chat to api_base as given. */
    @Test
    void apiBaseHasNoTrailingSlashWhateverTheEndpointSays() {
        localModels.get("qwen3-30b").getStatus().setEndpoint("https://gw.example/ollama//");

        assertThat(params(render(), "qwen3:30b")).containsEntry("api_base", "https://gw.example/ollama");
    }

    /** OllamaChatConfig.map_openai_params sends native tools only when the model info says supports_function_calling. */
    @Test
    void onlyModelsWithTheToolsCapabilityAreMarkedForNativeToolCalls() {
        localModels.get("gpt-oss-20b").getStatus().getModel().setCapabilities(List.of("completion", "thinking"));

        LiteLlmConfig config = render();

        assertThat(info(config, "qwen3:30b")).containsEntry("supports_function_calling", true);
        assertThat(info(config, "gpt-oss:20b")).doesNotContainKey("supports_function_calling");
    }

    /**
     * main.embedding has an Ollama branch only for provider {@code ollama} (ollama_embeddings: POST
     * {@code {api_base}/api/embed}); {@code ollama_chat} ends in LiteLLMUnknownProvider. proxy/health_check.py hands
     * model_info.mode to ahealth_check, which then embeds instead of chatting.
     */
    @Test
    void anEmbeddingOnlyModelBecomesAnOllamaEmbeddingDeployment() {
        localModels.get("gpt-oss-20b").getStatus().getModel().setCapabilities(List.of("embedding"));

        LiteLlmConfig config = render();

        assertThat(params(config, "gpt-oss:20b")).containsEntry("model", "ollama/gpt-oss:20b")
                .containsEntry("api_base", "http://gpt-oss-20b.llm.svc.cluster.local:11434");
        assertThat(info(config, "gpt-oss:20b")).containsEntry("mode", "embedding")
                .doesNotContainKey("supports_function_calling");
        assertThat(params(config, "qwen3:30b")).containsEntry("model", "ollama_chat/qwen3:30b");
        assertThat(info(config, "qwen3:30b")).doesNotContainKey("mode");
    }

    /** Ollama answers /api/chat for a model that can complete, whatever else it lists. */
    @Test
    void aModelThatCompletesStaysAChatDeploymentEvenIfItAlsoEmbeds() {
        localModels.get("gpt-oss-20b").getStatus().getModel().setCapabilities(List.of("completion", "embedding"));

        LiteLlmConfig config = render();

        assertThat(params(config, "gpt-oss:20b")).containsEntry("model", "ollama_chat/gpt-oss:20b");
        assertThat(info(config, "gpt-oss:20b")).doesNotContainKey("mode");
    }

    /**
     * integrations/prometheus.py: the deployment series are labelled with model_info.id, and /metrics answers without
     * a key only while require_auth_for_metrics_endpoint is False (1.80's default, flipped later).
     */
    @Test
    void everyRouterExportsDeploymentMetricsNamedByItsLocalModel() {
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) ((Map<String, Object>) RouterFixtures.parse(render().yaml()))
                .get("litellm_settings");

        assertThat(settings).containsEntry("callbacks", List.of("prometheus"))
                .containsEntry("require_auth_for_metrics_endpoint", false);
        assertThat(info(render(), "qwen3:30b")).containsEntry("id", "llm/qwen3-30b");
    }

    private LiteLlmConfig render() {
        return LiteLlmConfig.render(router, localModels);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> routerSettings(LiteLlmConfig config) {
        return (Map<String, Object>) ((Map<String, Object>) RouterFixtures.parse(config.yaml())).get("router_settings");
    }

    private static Map<String, Object> params(LiteLlmConfig config, String group) {
        return entry(config, group, "litellm_params");
    }

    private static Map<String, Object> info(LiteLlmConfig config, String group) {
        return entry(config, group, "model_info");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(LiteLlmConfig config, String group, String part) {
        List<Map<String, Object>> list = (List<Map<String, Object>>)
                ((Map<String, Object>) RouterFixtures.parse(config.yaml())).get("model_list");
        return list.stream().filter(m -> group.equals(m.get("model_name"))).findFirst()
                .map(m -> (Map<String, Object>) m.get(part)).orElseThrow();
    }
}
