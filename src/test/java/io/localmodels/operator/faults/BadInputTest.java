package io.localmodels.operator.faults;

import static io.localmodels.operator.testing.StatusConditions.condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.LocalModelSpec;
import io.localmodels.operator.api.ModelRouter;
import io.localmodels.operator.api.ModelRouterSpec;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.ModelsInCluster;
import io.localmodels.operator.testing.OperatorWorld;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every malformed or hostile spec in {@code docs/bad-input.md}, through the real operator on the mock API server:
 * each gets a condition that names its field, nothing the operator made before is touched, and the operator keeps
 * serving everything else. The tables in the doc are the test's input.
 */
class BadInputTest {

    static final Path DOC = Path.of("docs/bad-input.md");
    static final String NS = ModelSpecs.NAMESPACE;
    static final String MEBIBYTE = "<1 MiB of x>";
    static final String GOOD_MODEL = "{model: 'qwen3:8b', storage: {size: 10Gi}}";
    static final String GOOD_ROUTER = "{models: [{name: a, backends: [{localModel: good}]}]}";

    /** One row of a table in the doc. */
    record Row(int number, String title, String name, String spec, String expected) {
        String resourceName(String prefix) {
            return name.isEmpty() ? prefix + "-" + number : name;
        }
    }

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults());
    KubernetesClient client;
    ModelsInCluster models;

    @BeforeEach
    void start() {
        client = world.client();
        models = world.models();
        world.start();
    }

    @Test
    void theDocHasEnoughRows() throws IOException {
        assertThat(rows("## LocalModel").size() + rows("## ModelRouter").size()).isGreaterThanOrEqualTo(25);
        assertThat(rows("## ModelRouter")).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void everyMalformedLocalModelGetsAConditionAndItsObjectsAreLeftAlone() throws IOException {
        List<Row> rows = rows("## LocalModel");
        client.resource(localModel("good", GOOD_MODEL)).create();
        Map<String, String> before = new LinkedHashMap<>();
        for (Row row : rows) {
            if (row.name().isEmpty()) {
                client.resource(localModel(row.resourceName("lm"), GOOD_MODEL)).create();
            }
        }
        for (Row row : rows) {
            if (row.name().isEmpty()) {
                String name = row.resourceName("lm");
                StatefulSet sts = await().atMost(Duration.ofSeconds(20))
                        .until(() -> client.apps().statefulSets().inNamespace(NS).withName(name).get(), s -> s != null);
                before.put("sts/" + name, sts.getMetadata().getResourceVersion());
                before.put("svc/" + name, await().until(() -> client.services().inNamespace(NS).withName(name).get(),
                        s -> s != null).getMetadata().getResourceVersion());
            }
        }

        for (Row row : rows) {
            LocalModel bad = localModel(row.resourceName("lm"), row.spec());
            if (row.name().isEmpty()) {
                client.resources(LocalModel.class).inNamespace(NS).withName(bad.getMetadata().getName())
                        .edit(lm -> {
                            lm.setSpec(bad.getSpec());
                            return lm;
                        });
            } else {
                client.resource(bad).create();
            }
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> SoftAssertions.assertSoftly(soft -> {
            for (Row row : rows) {
                LocalModel lm = models.get(row.resourceName("lm"));
                if (lm.getStatus() == null) {
                    soft.fail(row.title() + ": no status");
                    continue;
                }
                soft.assertThat(lm.getStatus().getPhase()).as(row.title()).isEqualTo("Failed");
                Condition valid = condition(lm, "SpecValid");
                soft.assertThat(valid.getStatus()).as(row.title()).isEqualTo("False");
                soft.assertThat(valid.getReason()).as(row.title()).isEqualTo("InvalidSpec");
                soft.assertThat(valid.getMessage()).as(row.title()).contains(row.expected()).hasSizeLessThan(2_000);
                soft.assertThat(condition(lm, "Ready").getStatus()).as(row.title()).isEqualTo("False");
            }
        }));
        for (Row row : rows) {
            String name = row.resourceName("lm");
            if (row.name().isEmpty()) {
                assertThat(resourceVersion(client.apps().statefulSets().inNamespace(NS).withName(name).get()))
                        .as(row.title()).isEqualTo(before.get("sts/" + name));
                assertThat(resourceVersion(client.services().inNamespace(NS).withName(name).get()))
                        .as(row.title()).isEqualTo(before.get("svc/" + name));
            } else {
                assertThat(client.apps().statefulSets().inNamespace(NS).withName(name).get()).as(row.title()).isNull();
                assertThat(client.services().inNamespace(NS).withName(name).get()).as(row.title()).isNull();
            }
        }
        theOperatorStillServesAValidModel();
    }

    @Test
    void everyMalformedRouterGetsAConditionAndKeepsItsLastGoodConfig() throws IOException {
        List<Row> rows = rows("## ModelRouter");
        client.resource(localModel("good", GOOD_MODEL)).create();
        Map<String, String> before = new LinkedHashMap<>();
        for (Row row : rows) {
            if (row.name().isEmpty()) {
                client.resource(router(row.resourceName("r"), GOOD_ROUTER)).create();
            }
        }
        for (Row row : rows) {
            if (row.name().isEmpty()) {
                String cm = row.resourceName("r") + "-litellm";
                before.put(cm, await().atMost(Duration.ofSeconds(20))
                        .until(() -> client.configMaps().inNamespace(NS).withName(cm).get(), c -> c != null)
                        .getMetadata().getResourceVersion());
            }
        }

        for (Row row : rows) {
            ModelRouter bad = router(row.resourceName("r"), row.spec());
            if (row.name().isEmpty()) {
                client.resources(ModelRouter.class).inNamespace(NS).withName(bad.getMetadata().getName())
                        .edit(r -> {
                            r.setSpec(bad.getSpec());
                            return r;
                        });
            } else {
                client.resource(bad).create();
            }
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> SoftAssertions.assertSoftly(soft -> {
            for (Row row : rows) {
                ModelRouter r = client.resources(ModelRouter.class).inNamespace(NS).withName(row.resourceName("r")).get();
                if (r.getStatus() == null) {
                    soft.fail(row.title() + ": no status");
                    continue;
                }
                soft.assertThat(r.getStatus().getPhase()).as(row.title()).isEqualTo("Invalid");
                Condition valid = condition(r.getStatus().getConditions(), "ConfigValid");
                soft.assertThat(valid.getStatus()).as(row.title()).isEqualTo("False");
                soft.assertThat(valid.getReason()).as(row.title()).isEqualTo("InvalidSpec");
                soft.assertThat(valid.getMessage()).as(row.title()).contains(row.expected()).hasSizeLessThan(2_000);
            }
        }));
        for (Row row : rows) {
            String name = row.resourceName("r");
            if (row.name().isEmpty()) {
                ConfigMap cm = client.configMaps().inNamespace(NS).withName(name + "-litellm").get();
                assertThat(cm.getMetadata().getResourceVersion()).as(row.title()).isEqualTo(before.get(name + "-litellm"));
            } else {
                assertThat(client.configMaps().inNamespace(NS).withName(name + "-litellm").get()).as(row.title()).isNull();
                assertThat(client.apps().deployments().inNamespace(NS).withName(name).get()).as(row.title()).isNull();
                assertThat(client.services().inNamespace(NS).withName(name).get()).as(row.title()).isNull();
            }
        }
        // still serving: a new valid router gets its config
        client.resource(router("after", GOOD_ROUTER)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.configMaps().inNamespace(NS).withName("after-litellm").get() != null);
    }

    @Test
    void aLocalModelTheJavaTypesCannotHoldIsLeftOutAndTheRestIsServed() throws IOException {
        // the real API server never stores these: the CRD's schema rejects them on apply
        Map<String, Object> replicas = schemaOf("crds/localmodels.localmodels.io-v1.yml", "spec", "replicas");
        assertThat(replicas).containsEntry("type", "integer").containsEntry("maximum", 64.0).containsEntry("minimum", 0.0);
        assertThat(schemaOf("crds/localmodels.localmodels.io-v1.yml", "spec", "gpu", "count")).containsEntry("type", "integer");

        client.resource(localModel("good", GOOD_MODEL)).create();
        StatefulSet good = await().atMost(Duration.ofSeconds(20))
                .until(() -> client.apps().statefulSets().inNamespace(NS).withName("good").get(), s -> s != null);

        // stored anyway, as if the schema were missing: text where a number belongs, a number too big for an int
        client.genericKubernetesResources("localmodels.io/v1alpha1", "LocalModel").inNamespace(NS)
                .resource(generic("typo", Map.of("model", "m", "replicas", "three"))).create();
        client.genericKubernetesResources("localmodels.io/v1alpha1", "LocalModel").inNamespace(NS)
                .resource(generic("huge", Map.of("model", "m", "replicas", 99_999_999_999L))).create();

        // every other resource is still served: a new model gets its workload, the existing one follows its spec
        client.resource(localModel("after", GOOD_MODEL)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.apps().statefulSets().inNamespace(NS).withName("after").get() != null);
        client.resources(LocalModel.class).inNamespace(NS).withName("good").edit(lm -> {
            lm.getSpec().setReplicas(3);
            return lm;
        });
        await().atMost(Duration.ofSeconds(20)).until(() ->
                client.apps().statefulSets().inNamespace(NS).withName("good").get().getSpec().getReplicas() == 3);
        assertThat(client.apps().statefulSets().inNamespace(NS).withName("good").get().getMetadata().getUid())
                .isEqualTo(good.getMetadata().getUid());
        // the unreadable ones get no workload, and a condition that names the field
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(condition(models.get("typo"), "SpecValid").getMessage())
                    .startsWith("spec.replicas: cannot be read: Cannot deserialize value of type `java.lang.Integer` from String \"three\"");
            assertThat(condition(models.get("huge"), "SpecValid").getMessage())
                    .startsWith("spec.replicas: cannot be read:").contains("(99999999999) out of range");
        });
        for (String name : List.of("typo", "huge")) {
            assertThat(models.get(name).getStatus().getPhase()).as(name).isEqualTo("Failed");
            assertThat(client.apps().statefulSets().inNamespace(NS).withName(name).get()).as(name).isNull();
            // the status write left the stored spec as it was
            GenericKubernetesResource raw = client.genericKubernetesResources("localmodels.io/v1alpha1", "LocalModel")
                    .inNamespace(NS).withName(name).get();
            assertThat(((Map<?, ?>) raw.getAdditionalProperties().get("spec")).get("replicas")).as(name).isNotNull();
        }
    }

    private void theOperatorStillServesAValidModel() {
        client.resources(LocalModel.class).inNamespace(NS).withName("good").edit(lm -> {
            lm.getSpec().setReplicas(2);
            return lm;
        });
        await().atMost(Duration.ofSeconds(20)).until(() ->
                client.apps().statefulSets().inNamespace(NS).withName("good").get().getSpec().getReplicas() == 2);
        assertThat(models.get("good").getStatus().getPhase()).isEqualTo("Pending");
    }

    private static String resourceVersion(HasMetadata o) {
        return o == null ? null : o.getMetadata().getResourceVersion();
    }

    private LocalModel localModel(String name, String specYaml) {
        LocalModel lm = new LocalModel();
        lm.getMetadata().setName(name);
        lm.getMetadata().setNamespace(NS);
        lm.setSpec(client.getKubernetesSerialization().convertValue(new Yaml().load(expand(specYaml)), LocalModelSpec.class));
        return lm;
    }

    private ModelRouter router(String name, String specYaml) {
        ModelRouter r = new ModelRouter();
        r.getMetadata().setName(name);
        r.getMetadata().setNamespace(NS);
        r.setSpec(client.getKubernetesSerialization().convertValue(new Yaml().load(expand(specYaml)), ModelRouterSpec.class));
        return r;
    }

    private static GenericKubernetesResource generic(String name, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
        r.setApiVersion("localmodels.io/v1alpha1");
        r.setKind("LocalModel");
        r.getMetadata().setName(name);
        r.getMetadata().setNamespace(NS);
        r.setAdditionalProperty("spec", spec);
        return r;
    }

    private static String expand(String yaml) {
        return yaml.replace(MEBIBYTE, "x".repeat(1 << 20));
    }

    /** The rows of the table under {@code heading}: | # | case | name | spec | message contains |. */
    static List<Row> rows(String heading) throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int start = lines.indexOf(heading);
        assertThat(start).as("heading " + heading).isNotNegative();
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("| ") || line.startsWith("| #") || !Character.isDigit(line.charAt(2))) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            assertThat(cells).as(line).hasSize(7);
            rows.add(new Row(Integer.parseInt(cells[1].trim()), cells[2].trim(), code(cells[3]), code(cells[4]), code(cells[5])));
        }
        return rows;
    }

    private static String code(String cell) {
        String c = cell.trim();
        return c.startsWith("`") && c.endsWith("`") ? c.substring(1, c.length() - 1) : c;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schemaOf(String crdFile, String... path) throws IOException {
        Map<String, Object> crd = new Yaml().load(Files.readString(Path.of(crdFile)));
        Map<String, Object> version = ((List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions")).get(0);
        Map<String, Object> node = (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
        for (String p : path) {
            node = (Map<String, Object>) ((Map<String, Object>) node.get("properties")).get(p);
        }
        return node;
    }
}
