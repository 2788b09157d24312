package io.localmodels.operator.router;

import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.kube.PrunedItemStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The router's cut-down LocalModels route exactly as the full objects do, and hold far less. */
class RoutingCopyTest {

    /** A LocalModel with everything a real one carries: health details, replicas, pull, more conditions. */
    private static final String FULL = """
            apiVersion: localmodels.io/v1alpha1
            kind: LocalModel
            metadata:
              name: %1$s
              namespace: llm
              uid: u-%1$s
              resourceVersion: "42"
              generation: 3
              labels: {team: a}
              annotations: {javaoperatorsdk.io/previous: "v1", localmodels.io/description: "a model", kubectl.kubernetes.io/last-applied-configuration: "{}"}
            spec:
              model: "qwen3:8b"
              replicas: 2
              image: ollama/ollama:0.12.6
              nodeSelector: {gpu: "true"}
              probe: {interval: 30s, timeout: 10s}
            status:
              observedGeneration: 3
              phase: %2$s
              endpoint: %3$s
              replicas: 2
              readyReplicas: 2
              ready: 2/2
              conditions:
                - {type: Available, status: "True", reason: ReplicasReady, message: "2 of 2", lastTransitionTime: "2026-01-01T00:00:00Z"}
                - {type: Ready, status: "%4$s", reason: %5$s, message: "why it is so", lastTransitionTime: "2026-01-01T00:00:00Z"}
                - {type: Healthy, status: "True", reason: ProbesPass, message: "20 of 20", lastTransitionTime: "2026-01-01T00:00:00Z"}
              pull: {progressPercent: 100}
              model: {ollamaVersion: 0.12.6, digest: sha256-abc, sizeBytes: 5000000000, contextLength: 40960, capabilities: [%6$s], vramPercent: 100, reloads: 1}
              health:
                successRate: 0.95
                latencyP50Ms: 120
                latencyP95Ms: 340
                tokensPerSecond: 42.5
                probes: 20
                consecutiveFailures: 0
                lastProbeTime: "2026-01-01T00:01:00Z"
                lastSuccessTime: "2026-01-01T00:01:00Z"
                lastResult: Success
                circuit: %7$s
                decidedBy: probes
                replicas:
                  - {name: %1$s-0, circuit: Closed, lastResult: Success, ready: true}
                  - {name: %1$s-1, circuit: Closed, lastResult: Success, ready: true}
            """;

    private static LocalModel full(String name, String phase, String endpoint, String ready, String reason,
                                   String capabilities, String circuit) {
        return RouterFixtures.SERIALIZATION.unmarshal(
                FULL.formatted(name, phase, endpoint, ready, reason, capabilities, circuit), LocalModel.class);
    }

    /** One of each case routing tells apart: healthy, not Ready, circuit open, no endpoint, embeddings, no status. */
    private static Map<String, LocalModel> fleet() {
        Map<String, LocalModel> out = new LinkedHashMap<>();
        out.put("a", full("a", "Ready", "http://a.llm.svc.cluster.local:11434/", "True", "ServingTraffic",
                "completion, tools", "Closed"));
        out.put("b", full("b", "Loading", "http://b.llm.svc.cluster.local:11434", "False", "ModelLoading",
                "completion", "Closed"));
        out.put("c", full("c", "Degraded", "http://c.llm.svc.cluster.local:11434", "True", "ServingTraffic",
                "completion", "Open"));
        out.put("d", full("d", "Ready", "\"\"", "True", "ServingTraffic", "completion", "HalfOpen"));
        out.put("e", full("e", "Ready", "http://e.llm.svc.cluster.local:11434", "True", "ServingTraffic",
                "embedding", "Closed"));
        LocalModel bare = full("f", "Ready", "x", "True", "x", "completion", "Closed");
        bare.setStatus(null);
        out.put("f", bare);
        return out;
    }

    private static Map<String, LocalModel> pruned(Map<String, LocalModel> models) {
        Map<String, LocalModel> out = new LinkedHashMap<>();
        models.forEach((k, v) -> out.put(k, RoutingCopy.prune(RouterFixtures.SERIALIZATION.clone(v))));
        return out;
    }

    @Test
    void everyRoutingReadSeesTheSameOnTheCutDownCopy() {
        Map<String, LocalModel> full = fleet();
        Map<String, LocalModel> cut = pruned(full);
        for (String name : full.keySet()) {
            LocalModel before = full.get(name);
            LocalModel after = cut.get(name);
            assertThat(LocalModelReferences.RoutingView.of(after)).as(name)
                    .isEqualTo(LocalModelReferences.RoutingView.of(before));
            assertThat(BackendGate.whyNotRoutable(after)).as(name).isEqualTo(BackendGate.whyNotRoutable(before));
            assertThat(DeploymentKind.of(after)).as(name).isEqualTo(DeploymentKind.of(before));
            assertThat(LiteLlmConfig.endpointOf(after)).as(name).isEqualTo(LiteLlmConfig.endpointOf(before));
            assertThat(LocalModelReferences.indexKey(after)).isEqualTo(LocalModelReferences.indexKey(before));
        }
        // not vacuous: the cases differ among themselves
        assertThat(full.values().stream().map(BackendGate::whyNotRoutable).distinct()).hasSizeGreaterThan(3);
    }

    @Test
    void aRouterOverTheCutDownCopiesRendersTheSameConfigAndStatus() {
        ModelRouter router = RouterFixtures.SERIALIZATION.unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: ModelRouter
                metadata: {name: r, namespace: llm}
                spec:
                  defaultModel: chat
                  models:
                    - name: chat
                      backends: [{localModel: a}, {localModel: b}, {localModel: c}, {localModel: d}, {localModel: f}]
                    - name: embed
                      backends: [{localModel: e}]
                """, ModelRouter.class);
        LiteLlmConfig before = LiteLlmConfig.render(router, fleet());
        LiteLlmConfig after = LiteLlmConfig.render(router, pruned(fleet()));

        assertThat(after.yaml()).isEqualTo(before.yaml());
        assertThat(RouterFixtures.SERIALIZATION.asJson(after)).isEqualTo(RouterFixtures.SERIALIZATION.asJson(before));
        assertThat(before.deploymentIds()).isNotEmpty();
        assertThat(before.models().get(0).getExcluded()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "circuit-open", "fail-static", "weights-no-gating", "embeddings"})
    void theRouterFixturesRenderTheSameFromCutDownCopies(String dir) {
        ModelRouter router = RouterFixtures.router(dir + "/router.yaml");
        Map<String, LocalModel> models = RouterFixtures.localModels(dir + "/localmodels.yaml");

        assertThat(RouterFixtures.SERIALIZATION.asJson(LiteLlmConfig.render(router, pruned(models))))
                .isEqualTo(RouterFixtures.SERIALIZATION.asJson(LiteLlmConfig.render(router, models)));
    }

    @Test
    void theStoreKeepsOnlyWhatRoutingReads() {
        PrunedItemStore<LocalModel> store = PrunedItemStore.of(RoutingCopy::prune);
        LocalModel lm = fleet().get("a");
        store.put(store.getKey(lm), lm);

        LocalModel kept = store.get("llm/a");
        assertThat(kept.getMetadata().getAnnotations()).containsOnlyKeys("javaoperatorsdk.io/previous");
        assertThat(kept.getMetadata().getLabels()).containsEntry("team", "a");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(kept.getSpec().getReplicas()).isNull();
        assertThat(kept.getSpec().getModel()).isEqualTo("qwen3:8b");
        assertThat(kept.getStatus().getConditions()).extracting(c -> c.getType()).containsExactly("Ready");
        assertThat(kept.getStatus().getHealth().getSuccessRate()).isNull();
        assertThat(kept.getStatus().getHealth().getReplicas()).isNull();
        assertThat(kept.getStatus().getHealth().getCircuit()).isEqualTo("Closed");
        assertThat(kept.getStatus().getModel().getDigest()).isNull();
        assertThat(kept.getStatus().getModel().getCapabilities()).containsExactly("completion", "tools");
        assertThat(kept.getStatus().getPull()).isNull();
        assertThat(RouterFixtures.SERIALIZATION.asJson(kept).length())
                .isLessThan(RouterFixtures.SERIALIZATION.asJson(fleet().get("a")).length() / 2);
        assertThat(List.of(store.size())).containsExactly(1);
    }
}
