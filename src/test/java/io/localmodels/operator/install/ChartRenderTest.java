package io.localmodels.operator.install;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.localmodels.operator.config.OperatorConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code helm template} renders for the default values and the main combinations. */
class ChartRenderTest {

    @TempDir
    static Path scratch;

    private RenderedChart render(Map<String, Object> values) {
        return OperatorChart.render(values, scratch);
    }

    private static Container operator(RenderedChart chart) {
        return pod(chart).getContainers().get(0);
    }

    private static PodSpec pod(RenderedChart chart) {
        return chart.one(Deployment.class).getSpec().getTemplate().getSpec();
    }

    @Nested
    class Defaults {

        private final RenderedChart chart = render(Map.of());

        @Test
        void runsOneReplicaOfTheImageTheDockerfileBuilds() {
            Deployment deployment = chart.one(Deployment.class);
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
            assertThat(deployment.getMetadata().getNamespace()).isEqualTo(OperatorChart.NAMESPACE);
            assertThat(operator(chart).getImage()).isEqualTo("ghcr.io/localmodels/localmodels-operator:0.1.0");
        }

        @Test
        void passesTheOperatorDefaultsAsArguments() {
            assertThat(operator(chart).getArgs()).containsExactly(
                    "run",
                    "--leader-election=true",
                    "--log-format=json",
                    "--http-port=8080",
                    "--ollama-image=" + OperatorConfig.DEFAULT_OLLAMA_IMAGE,
                    "--litellm-image=" + OperatorConfig.DEFAULT_LITELLM_IMAGE,
                    "--status-period=30s",
                    "--probe-concurrency=64",
                    "--router-rollout-interval=30s");
        }

        @Test
        void usesTheImageTagTheDockerfileDocuments() throws Exception {
            String dockerfile = Files.readString(Path.of("Dockerfile"));
            assertThat(dockerfile).contains("docker build -t " + operator(chart).getImage() + " .");
        }

        @Test
        void givesLeaderElectionThePodNameAndNamespaceFromTheDownwardApi() {
            Map<String, String> fieldPaths = new HashMap<>();
            for (EnvVar env : operator(chart).getEnv()) {
                if (env.getValueFrom() != null && env.getValueFrom().getFieldRef() != null) {
                    fieldPaths.put(env.getName(), env.getValueFrom().getFieldRef().getFieldPath());
                }
            }
            assertThat(fieldPaths).containsEntry("POD_NAME", "metadata.name")
                    .containsEntry("POD_NAMESPACE", "metadata.namespace");
            assertThat(operator(chart).getEnv()).extracting(EnvVar::getName).doesNotContain("JAVA_TOOL_OPTIONS");
        }

        @Test
        void probesHealthAndReadinessOnTheHttpPort() {
            Container container = operator(chart);
            assertThat(container.getPorts()).singleElement()
                    .satisfies(port -> {
                        assertThat(port.getName()).isEqualTo("http");
                        assertThat(port.getContainerPort()).isEqualTo(8080);
                    });
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
            assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
            assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        }

        @Test
        void meetsTheRestrictedProfileWithAReadOnlyRootAndAWritableTmp() {
            assertThat(RestrictedProfile.violations(pod(chart))).isEmpty();
            Container container = operator(chart);
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(pod(chart).getSecurityContext().getRunAsUser()).isEqualTo(65532L);
            assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
            assertThat(pod(chart).getVolumes()).singleElement()
                    .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
        }

        @Test
        void limitsMemorySoTheHeapHasABound() {
            assertThat(operator(chart).getResources().getLimits()).containsKey("memory");
            assertThat(operator(chart).getResources().getRequests()).containsKeys("cpu", "memory");
        }

        @Test
        void runsAsItsOwnServiceAccount() {
            ServiceAccount account = chart.one(ServiceAccount.class);
            assertThat(pod(chart).getServiceAccountName()).isEqualTo(account.getMetadata().getName());
        }

        @Test
        void exposesTheHttpPortThroughAServiceSelectingTheOperatorPod() {
            Service service = chart.one(Service.class);
            assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
                assertThat(port.getName()).isEqualTo("http");
                assertThat(port.getPort()).isEqualTo(8080);
                assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
            });
            assertThat(chart.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(service.getSpec().getSelector());
        }

        @Test
        void grantsNamespacedAccessThroughOneClusterRoleAndTheLeaseThroughARole() {
            ClusterRole clusterRole = chart.one(ClusterRole.class);
            assertThat(clusterRole.getRules()).flatExtracting(r -> r.getResources()).contains("localmodels", "pods");
            assertThat(chart.one(Role.class).getMetadata().getNamespace()).isEqualTo(OperatorChart.NAMESPACE);
            assertThat(chart.one(Role.class).getRules()).flatExtracting(r -> r.getResources())
                    .containsExactly("leases");
        }

        @Test
        void rendersNoMonitoringObjectsUnlessAsked() {
            assertThat(chart.ofKind("ServiceMonitor")).isEmpty();
            assertThat(chart.ofKind("PrometheusRule")).isEmpty();
        }
    }

    @Nested
    class Namespaced {

        private final RenderedChart chart = render(Map.of("watchNamespaces", List.of("team-a", "team-b")));

        @Test
        void watchesTheListedNamespaces() {
            assertThat(operator(chart).getArgs()).contains("--namespaces=team-a,team-b");
        }

        @Test
        void grantsARoleAndBindingInEachWatchedNamespace() {
            assertThat(chart.all(Role.class)).extracting(r -> r.getMetadata().getNamespace())
                    .containsExactlyInAnyOrder("team-a", "team-b", OperatorChart.NAMESPACE);
            assertThat(chart.all(RoleBinding.class)).extracting(r -> r.getMetadata().getNamespace())
                    .containsExactlyInAnyOrder("team-a", "team-b", OperatorChart.NAMESPACE);
        }

        @Test
        void keepsOnlyTheCrdCheckClusterWide() {
            assertThat(chart.one(ClusterRole.class).getRules()).singleElement().satisfies(rule -> {
                assertThat(rule.getApiGroups()).containsExactly("apiextensions.k8s.io");
                assertThat(rule.getResources()).containsExactly("customresourcedefinitions");
            });
        }
    }

    @Nested
    class ServiceMonitorOn {

        private final RenderedChart chart = render(Map.of("serviceMonitor",
                Map.of("enabled", true, "interval", "15s", "labels", Map.of("release", "kube-prometheus"))));

        @Test
        void scrapesTheMetricsPathOfTheOperatorService() {
            GenericKubernetesResource monitor = chart.ofKind("ServiceMonitor").get(0);
            assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus");
            assertThat(monitor.<Map<String, String>>get("spec", "selector", "matchLabels"))
                    .isEqualTo(chart.one(Service.class).getSpec().getSelector());
            assertThat(chart.one(Service.class).getMetadata().getLabels())
                    .containsAllEntriesOf(monitor.get("spec", "selector", "matchLabels"));
            assertThat(monitor.<String>get("spec", "endpoints", 0, "port")).isEqualTo("http");
            assertThat(monitor.<String>get("spec", "endpoints", 0, "path")).isEqualTo("/metrics");
            assertThat(monitor.<String>get("spec", "endpoints", 0, "interval")).isEqualTo("15s");
        }
    }

    @Nested
    class PrometheusRuleOn {

        private final RenderedChart chart = render(Map.of("prometheusRule",
                Map.of("enabled", true, "successRateThreshold", 0.9, "additionalAlertLabels", Map.of("team", "ml"))));

        private List<Map<String, Object>> alerts() {
            List<Map<String, Object>> groups = chart.ofKind("PrometheusRule").get(0).get("spec", "groups");
            return groups.stream().flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();
        }

        private String expr(String alert) {
            return alerts().stream().filter(a -> alert.equals(a.get("alert"))).map(a -> (String) a.get("expr"))
                    .findFirst().orElseThrow(() -> new AssertionError("no alert " + alert));
        }

        @Test
        void alertsOnEveryFailureTheIssueNames() {
            assertThat(alerts()).extracting(a -> a.get("alert")).containsExactlyInAnyOrder(
                    "LocalModelUnhealthy", "LocalModelCircuitOpen", "LocalModelPullStalled", "ModelRouterDegraded",
                    "LocalModelsOperatorDown");
            assertThat(expr("LocalModelUnhealthy")).isEqualTo("localmodels_model_success_rate < 0.9");
            assertThat(expr("LocalModelCircuitOpen")).isEqualTo("localmodels_model_circuit_state == 2");
            assertThat(expr("LocalModelPullStalled")).contains("localmodels_pull_progress_percent < 100")
                    .contains("delta(localmodels_pull_progress_percent[15m]) <= 0");
            assertThat(expr("ModelRouterDegraded")).isEqualTo("localmodels_router_degraded == 1");
        }

        @Test
        void watchesTheJobTheServiceMonitorScrapes() {
            String job = chart.one(Service.class).getMetadata().getName();
            assertThat(expr("LocalModelsOperatorDown"))
                    .contains("up{job=\"" + job + "\",namespace=\"" + OperatorChart.NAMESPACE + "\"} == 0")
                    .contains("absent(up{job=\"" + job + "\"");
        }

        @Test
        void keepsPrometheusTemplatesInAnnotationsAndAddsAlertLabels() {
            assertThat(alerts()).allSatisfy(alert -> {
                assertThat((Map<String, String>) alert.get("labels")).containsEntry("team", "ml").containsKey("severity");
                assertThat((Map<String, String>) alert.get("annotations")).containsKeys("summary", "description");
            });
            Map<String, String> unhealthy = (Map<String, String>) alerts().get(0).get("annotations");
            assertThat(unhealthy.get("summary")).contains("{{ $labels.namespace }}/{{ $labels.name }}");
        }
    }

    @Nested
    class TwoReplicas {

        @Test
        void runsTwoReplicasWithLeaderElection() {
            RenderedChart chart = render(Map.of("replicas", 2));
            assertThat(chart.one(Deployment.class).getSpec().getReplicas()).isEqualTo(2);
            assertThat(operator(chart).getArgs()).contains("--leader-election=true");
            assertThat(RbacRules.of(chart).allowsIn(OperatorChart.NAMESPACE, "coordination.k8s.io", "leases", "update"))
                    .isTrue();
        }

        @Test
        void refusesTwoReplicasWithoutLeaderElection() {
            assertThatThrownBy(() -> render(Map.of("replicas", 2, "leaderElection", Map.of("enabled", false))))
                    .hasMessageContaining("replicas > 1 needs leaderElection.enabled=true");
        }
    }

    @Nested
    class Shards {

        private final RenderedChart chart = render(Map.of("replicas", 2, "shards", List.of(
                Map.of("name", "a", "selector", "localmodels.io/shard=a"),
                Map.of("name", "gpu", "selector", "tier in (gpu, gpu-large),!legacy"))));

        private Deployment shard(String name) {
            return chart.all(Deployment.class).stream()
                    .filter(d -> d.getMetadata().getName().equals(OperatorChart.RELEASE + "-" + name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no Deployment for shard " + name));
        }

        @Test
        void runsOneDeploymentPerShardWithItsSelectorAndName() {
            assertThat(chart.all(Deployment.class)).hasSize(2);
            List<String> args = shard("gpu").getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
            assertThat(args).contains("--selector=tier in (gpu, gpu-large),!legacy", "--shard-name=gpu",
                    "--leader-election=true");
            assertThat(args.subList(0, 9)).isEqualTo(shard("a").getSpec().getTemplate().getSpec().getContainers()
                    .get(0).getArgs().subList(0, 9));
            assertThat(shard("a").getSpec().getReplicas()).isEqualTo(2);
        }

        @Test
        void eachDeploymentSelectsOnlyItsOwnPodsAndTheMetricsServiceAllOfThem() {
            Map<String, String> a = shard("a").getSpec().getSelector().getMatchLabels();
            Map<String, String> gpu = shard("gpu").getSpec().getSelector().getMatchLabels();
            assertThat(a).containsEntry("localmodels.io/shard", "a").isNotEqualTo(gpu);
            assertThat(shard("a").getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(a);
            Map<String, String> service = chart.one(Service.class).getSpec().getSelector();
            assertThat(a).containsAllEntriesOf(service);
            assertThat(gpu).containsAllEntriesOf(service);
        }

        @Test
        void sharesOneServiceAccountAndItsRbac() {
            assertThat(chart.one(ServiceAccount.class)).isNotNull();
            assertThat(chart.all(ClusterRole.class)).hasSize(chartDefaults().all(ClusterRole.class).size());
            assertThat(chart.all(Deployment.class)).allSatisfy(d -> assertThat(
                    d.getSpec().getTemplate().getSpec().getServiceAccountName())
                    .isEqualTo(chart.one(ServiceAccount.class).getMetadata().getName()));
        }

        @Test
        void refusesTwoShardsOfOneNameAndAShardWithoutASelector() {
            Map<String, Object> a = Map.of("name", "a", "selector", "x=1");
            assertThatThrownBy(() -> render(Map.of("shards", List.of(a, a))))
                    .hasMessageContaining("shards[1].name: \"a\" is used twice");
            assertThatThrownBy(() -> render(Map.of("shards", List.of(Map.of("name", "a")))))
                    .hasMessageContaining("selector");
        }

        private RenderedChart chartDefaults() {
            return render(Map.of());
        }
    }

    @Nested
    class Options {

        @Test
        void withoutLeaderElectionGrantsNoLeaseAccess() {
            RenderedChart chart = render(Map.of("leaderElection", Map.of("enabled", false)));
            assertThat(operator(chart).getArgs()).contains("--leader-election=false");
            assertThat(chart.all(Role.class)).isEmpty();
            assertThat(RbacRules.of(chart).allows("coordination.k8s.io", "leases", "get")).isFalse();
        }

        @Test
        void passesJvmOptionsAndOperatorSettingsThrough() {
            RenderedChart chart = render(Map.of(
                    "jvmOptions", "-Xlog:gc",
                    "logFormat", "plain",
                    "image", Map.of("tag", "0.2.0-rc1"),
                    "operator", Map.of("ollamaImage", "registry.lan/ollama:0.12.6", "statusPeriod", "1m",
                            "probeConcurrency", 8)));
            Container container = operator(chart);
            assertThat(container.getEnv()).anySatisfy(env -> {
                assertThat(env.getName()).isEqualTo("JAVA_TOOL_OPTIONS");
                assertThat(env.getValue()).isEqualTo("-Xlog:gc");
            });
            assertThat(container.getImage()).endsWith(":0.2.0-rc1");
            assertThat(container.getArgs()).contains("--log-format=plain", "--ollama-image=registry.lan/ollama:0.12.6",
                    "--status-period=1m", "--probe-concurrency=8");
        }

        @Test
        void aWeakenedSecurityContextFailsTheRestrictedCheck() {
            RenderedChart chart = render(Map.of("securityContext", Map.of("allowPrivilegeEscalation", true)));
            assertThat(RestrictedProfile.violations(pod(chart)))
                    .anySatisfy(v -> assertThat(v).contains("allowPrivilegeEscalation"));
        }
    }
}
