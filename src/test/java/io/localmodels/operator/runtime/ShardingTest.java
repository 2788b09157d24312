package io.localmodels.operator.runtime;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.config.Shard;
import io.localmodels.operator.kube.Labels;
import io.localmodels.operator.testing.FakeLiteLlm;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorWorld;
import io.localmodels.operator.testing.StatusConditions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two operators, each with its own selector and its own client (told apart by user agent), against one API server:
 * each manages only its own LocalModels and ModelRouters, lists and watches only its own objects, and no object is
 * written by both. A router naming a LocalModel of the other shard says so. A shard reads the traffic of its own
 * routers' proxy pods only.
 */
class ShardingTest {

    static final String NS = ModelsInCluster.NAMESPACE;
    static final Shard A = Shard.of(Shard.LABEL + "=a", "a");
    static final Shard B = Shard.of(Shard.LABEL + "=b", "b");
    private static final Pattern OBJECT_PATH =
            Pattern.compile("/namespaces/[^/]+/([a-z]+)(?:/([^/]+))?(?:/(status))?$");

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(Duration.ofSeconds(1))
            .withRouterRolloutInterval(Duration.ofMillis(100)));
    KubernetesClient client;
    ModelsInCluster models;
    private final List<RecordedRequest> journal = new ArrayList<>();

    @BeforeEach
    void setUp() {
        client = world.client();
        models = world.models();
        world.ollama().addModel("qwen3:8b", "d".repeat(64), 1000);
    }

    @Test
    void twoShardsEachManageOnlyTheirOwnAndNothingIsWrittenTwice() {
        world.startOther(config(A), "shard-a");
        world.startOther(config(B), "shard-b");
        create(localModel("m-a", "a"));
        create(localModel("m-b", "b"));
        create(localModel("m-none", null));
        create(router("gw-a", "a", "m-a"));
        create(router("gw-b", "b", "m-b", "m-a"));

        world.kubelet().readyPod(models.awaitStatefulSet("m-a"), 0);
        world.kubelet().readyPod(models.awaitStatefulSet("m-b"), 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> Phase.READY.value().equals(models.phase("m-a"))
                && Phase.READY.value().equals(models.phase("m-b")));
        await().atMost(Duration.ofSeconds(10)).until(() -> configMap("gw-a-litellm") != null);

        // gw-b names m-a, which exists but belongs to shard a: it says so, with the backend and the selector
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Condition valid = StatusConditions.condition(routerStatus("gw-b"), "ConfigValid");
            assertThat(valid.getStatus()).isEqualTo("False");
            assertThat(valid.getMessage()).contains("spec.models[0].backends[1].localModel: LocalModel 'm-a' exists "
                    + "in namespace llm but is outside this operator's shard: its labels do not match the selector '"
                    + Shard.LABEL + "=b'").doesNotContain("'m-b'");
        });
        assertThat(configMap("gw-b-litellm")).as("an invalid router creates nothing").isNull();

        // what each shard made carries its shard's label, pods included
        assertThat(statefulSet("m-a").getMetadata().getLabels()).containsEntry(Shard.LABEL, "a");
        assertThat(statefulSet("m-a").getSpec().getTemplate().getMetadata().getLabels()).containsEntry(Shard.LABEL, "a");
        assertThat(client.services().inNamespace(NS).withName("m-b").get().getMetadata().getLabels())
                .containsEntry(Shard.LABEL, "b");
        assertThat(configMap("gw-a-litellm").getMetadata().getLabels()).containsEntry(Shard.LABEL, "a");

        // a LocalModel in no shard is nobody's
        assertThat(statefulSet("m-none")).isNull();
        assertThat(models.phase("m-none")).isNull();

        Map<String, Integer> creates = new TreeMap<>();
        Map<String, Set<String>> writers = writersByObject(creates);
        // each object created once, by its own shard
        assertThat(creates).containsExactlyInAnyOrderEntriesOf(Map.of(
                "shard-a creates statefulsets", 1, "shard-a creates services", 2, "shard-a creates configmaps", 1,
                "shard-a creates deployments", 1, "shard-b creates statefulsets", 1, "shard-b creates services", 1));
        assertThat(writers).isNotEmpty();
        writers.forEach((object, agents) -> {
            assertThat(agents).as("writers of " + object).hasSize(1);
            String name = object.substring(object.indexOf(' ') + 1);
            assertThat(name).as("an object of no shard was written: " + object).doesNotStartWith("m-none");
            assertThat(agents).as("writers of " + object)
                    .containsExactly(name.startsWith("m-a") || name.startsWith("gw-a") ? "shard-a" : "shard-b");
        });
        assertThat(writers).containsKeys("localmodels m-a", "localmodels m-b", "pods m-a-0", "pods m-b-0",
                "modelrouters gw-a", "modelrouters gw-b");

        // and each lists and watches only its own: the primaries by its selector, what it made by its label
        for (String agent : List.of("shard-a", "shard-b")) {
            String shard = agent.substring("shard-".length());
            List<String> reads = journal.stream().filter(r -> agent.equals(r.getHeader("User-Agent")))
                    .filter(r -> "GET".equals(r.getMethod()) && !OBJECT_PATH.matcher(path(r)).find()
                            && r.getPath().contains("?") && !path(r).endsWith("/events")) // Events: by field, per object
                    .map(r -> URLDecoder.decode(r.getPath(), StandardCharsets.UTF_8)).toList();
            assertThat(reads).as(agent + "'s lists and watches").hasSizeGreaterThanOrEqualTo(7 * 2)
                    .allSatisfy(read -> assertThat(labelSelector(read)).contains(Shard.LABEL + "=" + shard));
        }
    }

    @Test
    void aShardTakesOverWhatTheUnshardedOperatorMadeForItsModels() {
        create(localModel("m-a", "a"));
        world.start();
        StatefulSet before = models.awaitStatefulSet("m-a");
        assertThat(before.getMetadata().getLabels()).doesNotContainKey(Shard.LABEL);
        world.stop();

        world.startOther(config(A), "shard-a");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(statefulSet("m-a").getMetadata().getLabels()).containsEntry(Shard.LABEL, "a");
            assertThat(client.services().inNamespace(NS).withName("m-a").get().getMetadata().getLabels())
                    .containsEntry(Shard.LABEL, "a");
        });
        assertThat(statefulSet("m-a").getMetadata().getUid()).as("the same StatefulSet, updated")
                .isEqualTo(before.getMetadata().getUid());
        world.kubelet().readyPod(statefulSet("m-a"), 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> Phase.READY.value().equals(models.phase("m-a")));
        assertThat(StatusConditions.condition(models.get("m-a"), "SpecValid").getStatus()).isEqualTo("True");
    }

    @Test
    void aShardReadsTheTrafficOfItsOwnRoutersProxiesOnly() {
        world.startOther(config(A), "shard-a");
        create(localModel("m-a", "a"));
        create(router("gw-a", "a", "m-a"));
        world.kubelet().readyPod(models.awaitStatefulSet("m-a"), 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> Phase.READY.value().equals(models.phase("m-a"))
                && client.apps().deployments().inNamespace(NS).withName("gw-a").get() != null);
        assertThat(client.apps().deployments().inNamespace(NS).withName("gw-a").get().getSpec().getTemplate()
                .getMetadata().getLabels()).as("the proxy pods carry the shard label").containsEntry(Shard.LABEL, "a");

        FakeLiteLlm own = world.proxyPod("gw-a", "gw-a-7d9f-x"); // with the labels of gw-a's pod template
        own.betweenScrapes(() -> own.succeed("llm/m-a", 5, Duration.ofMillis(300)));
        // a proxy pod of shard b's router, as shard b's Deployment makes it
        FakeLiteLlm others = world.proxyPod("gw-b-5c4b-y",
                Labels.common(router("gw-b", "b", "m-b"), Map.of(Shard.LABEL, "b")));
        others.betweenScrapes(() -> others.succeed("llm/m-b", 5, Duration.ofMillis(300)));

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ModelRouter r = client.resources(ModelRouter.class).inNamespace(NS).withName("gw-a").get();
            return r.getStatus() != null && r.getStatus().getModels() != null && r.getStatus().getModels().stream()
                    .anyMatch(m -> m.getTraffic() != null && m.getTraffic().stream()
                            .anyMatch(t -> "m-a".equals(t.getLocalModel()) && t.getRequests() == 5));
        });
        int target = own.scrapes() + 2;
        await().atMost(Duration.ofSeconds(30)).until(() -> own.scrapes() >= target);
        assertThat(others.scrapes()).as("another shard's proxy is not read").isZero();
    }

    private OperatorConfig config(Shard shard) {
        return OperatorConfig.defaults().withStatusPeriod(Duration.ofSeconds(1))
                .withRouterRolloutInterval(Duration.ofMillis(100)).withShard(shard);
    }

    /**
     * Object ("plural name") → the user agents of the operators that wrote it by name (updates, status, patches);
     * creates (a POST names no object in its path, and the mock's journal keeps no body) as "create plural" →
     * how many each agent sent. Events are left out: each is a new object.
     */
    private Map<String, Set<String>> writersByObject(Map<String, Integer> creates) {
        drain();
        Map<String, Set<String>> out = new TreeMap<>();
        for (RecordedRequest r : journal) {
            String agent = r.getHeader("User-Agent");
            if ("GET".equals(r.getMethod()) || agent == null || !agent.startsWith("shard-")) {
                continue;
            }
            Matcher m = OBJECT_PATH.matcher(path(r));
            if (!m.find() || m.group(1).equals("events")) {
                continue;
            }
            if (m.group(2) == null) {
                creates.merge(agent + " creates " + m.group(1), 1, Integer::sum);
            } else {
                out.computeIfAbsent(m.group(1) + " " + m.group(2), k -> new TreeSet<>()).add(agent);
            }
        }
        return out;
    }

    private void drain() {
        try {
            RecordedRequest r;
            while ((r = world.server().takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                journal.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The requirements of a request's (equality-based) label selector. */
    private static List<String> labelSelector(String decodedPath) {
        Matcher m = Pattern.compile("[?&]labelSelector=([^&]*)").matcher(decodedPath);
        return m.find() ? List.of(m.group(1).split(",")) : List.of();
    }

    private static String path(RecordedRequest r) {
        String p = r.getPath();
        int q = p.indexOf('?');
        return q < 0 ? p : p.substring(0, q);
    }

    private void create(Object resource) {
        client.resource((io.fabric8.kubernetes.api.model.HasMetadata) resource).create();
    }

    private StatefulSet statefulSet(String name) {
        return client.apps().statefulSets().inNamespace(NS).withName(name).get();
    }

    private ConfigMap configMap(String name) {
        return client.configMaps().inNamespace(NS).withName(name).get();
    }

    private List<Condition> routerStatus(String name) {
        ModelRouter r = client.resources(ModelRouter.class).inNamespace(NS).withName(name).get();
        return r.getStatus() == null || r.getStatus().getConditions() == null ? List.of() : r.getStatus().getConditions();
    }

    private LocalModel localModel(String name, String shard) {
        return client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata:
                  name: %s
                  namespace: %s
                  labels: {%s}
                spec:
                  model: 'qwen3:8b'
                  probe: {interval: 200ms, think: 'off'}
                """.formatted(name, NS, shard == null ? "" : Shard.LABEL + ": " + shard), LocalModel.class);
    }

    private ModelRouter router(String name, String shard, String... backends) {
        StringBuilder list = new StringBuilder();
        for (String b : backends) {
            list.append("        - {localModel: ").append(b).append("}\n");
        }
        return client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: ModelRouter
                metadata:
                  name: %s
                  namespace: %s
                  labels: {%s: %s}
                spec:
                  models:
                    - name: chat
                      backends:
                %s""".formatted(name, NS, Shard.LABEL, shard, list), ModelRouter.class);
    }
}
