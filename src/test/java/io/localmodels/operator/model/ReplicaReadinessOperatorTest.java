package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.Phase;
import io.localmodels.operator.api.ReplicaHealth;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.Kubelet;
import io.localmodels.operator.testing.OperatorWorld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.localmodels.operator.testing.StatusConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Each replica judged on its own, through the real operator: two pods, each with a fake Ollama of its own at its own
 * address, and a kubelet that calls a pod Ready only when its containers are ready and the model gate is True.
 */
class ReplicaReadinessOperatorTest {

    static final String DIGEST = "d".repeat(64);

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(Duration.ofSeconds(1)));
    KubernetesClient client;
    Kubelet kubelet;
    FakeOllama first;
    FakeOllama second;

    @BeforeEach
    void start() {
        client = world.client();
        kubelet = world.kubelet();
        first = world.ollama();
        second = world.replica(1);
        first.addModel("qwen3:30b", DIGEST, 1000);
    }

    @Test
    void aFailingReplicaLosesItsGateWhileTheHealthyOneServesAndStaysRouted() {
        second.addModel("qwen3:30b", DIGEST, 1000);
        world.start();
        StatefulSet sts = create();
        kubelet.readyPod(sts, 0);
        kubelet.readyPod(sts, 1);

        await().atMost(Duration.ofSeconds(15)).until(() -> Phase.READY.value().equals(phase())
                && kubelet.ready("llm", "m-0") && kubelet.ready("llm", "m-1"));
        LocalModel ready = get();
        assertThat(ready.getStatus().getReady()).isEqualTo("2/2");
        assertThat(ready.getStatus().getHealth().getReplicas()).extracting(ReplicaHealth::getName, ReplicaHealth::getReady)
                .containsExactly(tuple("m-0", true), tuple("m-1", true));
        assertThat(first.chats()).as("probes at replica 0's own address").isPositive();
        assertThat(second.chats()).as("probes at replica 1's own address").isPositive();
        assertThat(gate("m-0").getStatus()).isEqualTo("True");
        createRouter();
        await().atMost(Duration.ofSeconds(15)).until(() -> routerConfig() != null && routerConfig().contains("m.llm.svc"));

        second.mode(FakeOllama.Mode.FAIL); // replica 1's runner crashes; replica 0 is fine
        await().atMost(Duration.ofSeconds(15)).until(() -> "False".equals(gate("m-1").getStatus()));
        assertThat(gate("m-1").getReason()).isEqualTo("CircuitOpen");
        assertThat(gate("m-1").getMessage()).contains("circuit is open", "HttpError");
        await().atMost(Duration.ofSeconds(10)).until(() -> !kubelet.ready("llm", "m-1"));
        assertThat(kubelet.ready("llm", "m-0")).as("the healthy replica keeps serving").isTrue();
        assertThat(gate("m-0").getStatus()).isEqualTo("True");

        // status is written up to a second after the gates (it waits for the changes that follow)
        await().atMost(Duration.ofSeconds(10)).until(() -> get().getStatus() != null
                && "1/2".equals(get().getStatus().getReady()));
        LocalModel degraded = get();
        assertThat(degraded.getStatus().getPhase()).isEqualTo(Phase.DEGRADED.value());
        assertThat(degraded.getStatus().getHealth().getCircuit()).as("a replica can serve").isEqualTo("Closed");
        assertThat(degraded.getStatus().getHealth().getReplicas()).extracting(ReplicaHealth::getName,
                        ReplicaHealth::getCircuit, ReplicaHealth::getReady)
                .containsExactly(tuple("m-0", "Closed", true),
                        tuple("m-1", "Open", false));
        assertThat(condition(degraded, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(degraded, "Ready").getMessage()).contains("1 of 2 replicas are ready", "m-1: CircuitOpen");
        assertThat(routerConfig()).as("the router keeps the LocalModel").contains("m.llm.svc.cluster.local:11434");
        var routed = client.resources(ModelRouter.class).inNamespace("llm").withName("gateway").get().getStatus();
        assertThat(routed.getModels().get(0).getExcluded()).isNullOrEmpty();
    }

    @Test
    void aReplicaStillPullingIsNotReadyWhileTheOtherServes() {
        world.start();
        StatefulSet sts = create();
        kubelet.readyPod(sts, 0);
        kubelet.readyPod(sts, 1);

        second.awaitPull(0).manifest().layer(DIGEST, 1000, 300); // and there it stays for now
        await().atMost(Duration.ofSeconds(15)).until(() -> "False".equals(gate("m-1").getStatus())
                && "Pulling".equals(gate("m-1").getReason()));
        assertThat(gate("m-1").getMessage()).contains("still pulling qwen3:30b");
        await().atMost(Duration.ofSeconds(15)).until(() -> kubelet.ready("llm", "m-0"));
        assertThat(kubelet.ready("llm", "m-1")).isFalse();
        assertThat(client.pods().inNamespace("llm").withName("m-1").get().getStatus().getConditions())
                .filteredOn(c -> c.getType().equals("Ready")).singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("ReadinessGatesNotReady"));

        // status is written up to a second after the gates (it waits for the changes that follow)
        await().atMost(Duration.ofSeconds(10)).until(() -> get().getStatus() != null
                && "1/2".equals(get().getStatus().getReady()));
        LocalModel lm = get();
        assertThat(lm.getStatus().getPhase()).as("routed while one replica pulls").isEqualTo(Phase.DEGRADED.value());
        assertThat(condition(lm, "ModelPulled").getReason()).isEqualTo("Pulling");
        assertThat(condition(lm, "Ready").getMessage()).contains("m-1: Pulling");
    }

    private StatefulSet create() {
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: m, namespace: llm}
                spec:
                  model: 'qwen3:30b'
                  replicas: 2
                  probe: {interval: 200ms, window: 10}
                  circuitBreaker: {minimumProbes: 2, openDuration: 10m}
                """, LocalModel.class)).create();
        StatefulSet sts = await().until(() -> client.apps().statefulSets().inNamespace("llm").withName("m").get(),
                s -> s != null);
        assertThat(sts.getSpec().getTemplate().getSpec().getReadinessGates())
                .extracting(g -> g.getConditionType()).containsExactly(ModelReadyGate.CONDITION);
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        return sts;
    }

    private void createRouter() {
        client.resource(new SecretBuilder().withNewMetadata().withName("litellm-master-key").withNamespace("llm")
                .endMetadata().addToStringData("masterKey", "sk-test").build()).create();
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: ModelRouter
                metadata: {name: gateway, namespace: llm}
                spec:
                  models: [{name: 'qwen3:30b', backends: [{localModel: m}]}]
                  masterKeySecretRef: {name: litellm-master-key, key: masterKey}
                """, ModelRouter.class)).create();
    }

    private String routerConfig() {
        var cm = client.configMaps().inNamespace("llm").withName("gateway-litellm").get();
        return cm == null ? null : cm.getData().get("config.yaml");
    }

    private PodCondition gate(String pod) {
        var p = client.pods().inNamespace("llm").withName(pod).get();
        List<PodCondition> conditions = p.getStatus().getConditions();
        return conditions.stream().filter(c -> c.getType().equals(ModelReadyGate.CONDITION)).findFirst()
                .orElse(new PodCondition());
    }

    private LocalModel get() {
        return client.resources(LocalModel.class).inNamespace("llm").withName("m").get();
    }

    private String phase() {
        LocalModel lm = get();
        return lm == null || lm.getStatus() == null ? null : lm.getStatus().getPhase();
    }
}
