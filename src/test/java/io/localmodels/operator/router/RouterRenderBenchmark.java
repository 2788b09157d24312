package io.localmodels.operator.router;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.Backend;
import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelSpec;
import io.localmodels.operator.api.LocalModelStatus;
import io.localmodels.operator.api.ModelDetails;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterSpec;
import io.localmodels.operator.api.RoutedModel;
import io.localmodels.operator.kube.Sha256;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A router's render work over a bring-up, run by hand (not a test): one router with {@code n} backends in pools of
 * five, as in the fleet benchmark, each backend going Pending → Loading → Ready one after another; after each change
 * the reconciler's render path runs (render, and when the config differs from the applied one whether it only takes
 * backends out); a rollout every 100 changes or when it only takes backends out. Prints the time per render and a
 * digest of every rendered text, equal for equal output.
 * <pre>java -cp $(cat target/bench.classpath) io.localmodels.operator.router.RouterRenderBenchmark 1000</pre>
 */
public final class RouterRenderBenchmark {

    private static final String NS = "bench";

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up
            run(n);
        }
    }

    private static void run(int n) {
        ModelRouter router = router(n);
        Map<String, LocalModel> models = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            models.put(name(i), localModel(i));
        }
        RouterRenders renders = new RouterRenders();
        ResourceID id = ResourceID.fromResource(router);
        StringBuilder digest = new StringBuilder();
        String appliedText = null;
        String appliedHash = null;
        int rollouts = 0;
        long t0 = System.nanoTime();
        int renderCount = 0;
        String[] phases = {"WaitingForReplicas", "LoadingModel", null};
        for (int step = 0; step < 3 * n; step++) {
            int i = step / 3;
            setState(models.get(name(i)), phases[step % 3]);
            LiteLlmConfig config = renders.render(router, models, SecretCatalog.UNCHECKED, OutOfShard.NONE);
            renderCount++;
            digest.append(config.hash());
            if (!config.hash().equals(appliedHash)) {
                boolean removes = appliedText != null && renders.onlyRemovesBackends(id, appliedHash, appliedText, config);
                if (appliedText == null || removes || step % 100 == 0) {
                    appliedText = config.yaml();
                    appliedHash = config.hash();
                    rollouts++;
                }
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf(Locale.ROOT, "n=%d: %d renders in %.0f ms, %.3f ms per render, %d rollouts, digest %s%n",
                n, renderCount, ms, ms / renderCount, rollouts, Sha256.hex(digest.toString()).substring(0, 16));
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "lm-%05d", i);
    }

    private static ModelRouter router(int n) {
        List<RoutedModel> pools = new ArrayList<>();
        for (int g = 0; g * 5 < n; g++) {
            RoutedModel m = new RoutedModel();
            m.setName("pool-" + g);
            List<Backend> backends = new ArrayList<>();
            for (int i = g * 5; i < Math.min(n, (g + 1) * 5); i++) {
                Backend b = new Backend();
                b.setLocalModel(name(i));
                backends.add(b);
            }
            m.setBackends(backends);
            pools.add(m);
        }
        ModelRouter router = new ModelRouter();
        router.setMetadata(new ObjectMetaBuilder().withName("router-0").withNamespace(NS).withUid("u-0")
                .withGeneration(1L).build());
        ModelRouterSpec spec = new ModelRouterSpec();
        spec.setModels(pools);
        spec.setHealthGating(true);
        router.setSpec(spec);
        return router;
    }

    private static LocalModel localModel(int i) {
        LocalModel lm = new LocalModel();
        lm.setMetadata(new ObjectMetaBuilder().withName(name(i)).withNamespace(NS).build());
        LocalModelSpec spec = new LocalModelSpec();
        spec.setModel("qwen3:0.6b");
        lm.setSpec(spec);
        return lm;
    }

    /** As the LocalModel reconciler writes it: not Ready for {@code reason}, or Ready (null) with its details. */
    private static void setState(LocalModel lm, String reason) {
        LocalModelStatus st = new LocalModelStatus();
        st.setPhase(reason == null ? "Ready" : "Pending");
        st.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus(reason == null ? "True" : "False")
                .withReason(reason == null ? "ServingTraffic" : reason).build()));
        if (reason == null) {
            st.setEndpoint("http://" + lm.getMetadata().getName() + "." + NS + ".svc.cluster.local:11434");
            HealthStatus health = new HealthStatus();
            health.setCircuit("Closed");
            st.setHealth(health);
            ModelDetails details = new ModelDetails();
            details.setContextLength(40960);
            details.setCapabilities(List.of("completion", "tools"));
            st.setModel(details);
        }
        lm.setStatus(st);
    }
}
