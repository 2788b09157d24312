package io.localmodels.operator.router;

import io.localmodels.operator.kube.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.config.Shard;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy's objects for the gateway sample. */
class ProxyResourcesTest {

    private final ModelRouter router = withUid(RouterFixtures.router("gateway/router.yaml"));
    private final Map<String, LocalModel> localModels = RouterFixtures.localModels("localmodels-healthy.yaml");
    private final LiteLlmConfig liteLlm = LiteLlmConfig.render(router, localModels);
    private final List<HasMetadata> objects = ProxyResources.desired(router, liteLlm, OperatorConfig.defaults(),
            liteLlm.hash()).all();

    @Test
    void configMapHoldsTheRenderedConfig() {
        ConfigMap cm = (ConfigMap) objects.get(0);
        LiteLlmConfig config = LiteLlmConfig.render(router, localModels);
        assertThat(cm.getMetadata().getName()).isEqualTo("gateway-litellm");
        assertThat(cm.getMetadata().getNamespace()).isEqualTo("llm");
        assertThat(cm.getData()).containsExactly(Map.entry("config.yaml", config.yaml()));
        assertThat(cm.getMetadata().getAnnotations()).containsEntry(ProxyResources.CONFIG_HASH_ANNOTATION, config.hash());
    }

    @Test
    void deploymentRunsThePinnedImageWithTheConfigAndItsHash() {
        Deployment d = (Deployment) objects.get(1);
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(d.getMetadata().getName()).isEqualTo("gateway");
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(c.getImage()).isEqualTo(OperatorConfig.DEFAULT_LITELLM_IMAGE);
        assertThat(c.getArgs()).containsExactly("--config", "/app/config.yaml", "--port", "4000");
        assertThat(c.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(4000));
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/liveliness");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/readiness");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(ProxyResources.CONFIG_HASH_ANNOTATION, LiteLlmConfig.render(router, localModels).hash());
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/app/config.yaml");
            assertThat(m.getSubPath()).isEqualTo("config.yaml");
        }).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getConfigMap().getName()).isEqualTo("gateway-litellm");
        }).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void proxyPodsCarryTheShardLabelOnlyWhenSharded() {
        Deployment unsharded = (Deployment) objects.get(1);
        Deployment sharded = ProxyResources.deployment(router,
                OperatorConfig.defaults().withShard(Shard.of(Shard.LABEL + "=a", "a")), liteLlm.hash());

        // a shard's traffic monitor informs only on pods with its label; unsharded, the template is as before
        assertThat(sharded.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(Shard.LABEL, "a");
        assertThat(sharded.getSpec().getSelector().getMatchLabels()).doesNotContainKey(Shard.LABEL);
        assertThat(unsharded.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey(Shard.LABEL)
                .isEqualTo(Labels.common(router, Map.of()));
    }

    @Test
    void theProxyStartsWithoutFetchingPricesFromTheInternet() {
        Container c = ((Deployment) objects.get(1)).getSpec().getTemplate().getSpec().getContainers().get(0);
        // LiteLLM reads the bundled price list when this is "True" (its check is a string comparison)
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("LITELLM_LOCAL_MODEL_COST_MAP"))
                .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("True"));
    }

    @Test
    void thePinnedImageIsTheTagWithRegistryEvidence() {
        assertThat(OperatorConfig.DEFAULT_LITELLM_IMAGE).isEqualTo("ghcr.io/berriai/litellm:v1.80.11-stable.1");
    }

    @Test
    void deploymentMeetsTheRestrictedProfile() {
        Deployment d = (Deployment) objects.get(1);
        var pod = d.getSpec().getTemplate().getSpec();
        var sc = pod.getContainers().get(0).getSecurityContext();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(sc.getRunAsNonRoot()).isTrue();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @Test
    void secretsReachTheProxyOnlyAsReferences() {
        Container c = ((Deployment) objects.get(1)).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getEnv()).extracting(EnvVar::getName)
                .containsExactly("LITELLM_LOG", "HOME", "LITELLM_LOCAL_MODEL_COST_MAP", "LITELLM_MASTER_KEY");
        assertThat(c.getEnv().get(0).getValue()).isEqualTo("INFO");
        EnvVar master = c.getEnv().get(3);
        assertThat(master.getValue()).isNull();
        assertThat(master.getValueFrom().getSecretKeyRef().getName()).isEqualTo("litellm-master-key");
        assertThat(master.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("masterKey");
        assertThat(c.getEnvFrom()).singleElement()
                .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("langfuse-credentials"));
    }

    @Test
    void serviceExposesPort4000AndEverythingIsOwnedByTheRouter() {
        Service s = (Service) objects.get(2);
        assertThat(s.getMetadata().getName()).isEqualTo("gateway");
        assertThat(s.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(4000));
        assertThat(s.getSpec().getSelector()).isEqualTo(Labels.selector(router));
        assertThat(ProxyResources.endpoint(router)).isEqualTo("http://gateway.llm.svc.cluster.local:4000");
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> {
                    assertThat(ref.getKind()).isEqualTo("ModelRouter");
                    assertThat(ref.getUid()).isEqualTo("uid-1");
                    assertThat(ref.getController()).isTrue();
                }));
    }

    private static ModelRouter withUid(ModelRouter r) {
        r.getMetadata().setUid("uid-1");
        return r;
    }
}
