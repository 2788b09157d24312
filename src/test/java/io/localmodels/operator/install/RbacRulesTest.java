package io.localmodels.operator.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.localmodels.operator.install.RbacRules.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart grants exactly the API access the operator declares it uses, in the right scope, without wildcards;
 * and {@link RbacRules} notices a missing rule.
 */
class RbacRulesTest {

    /** Namespaced (group, resource, verbs) the operator uses in every namespace it watches. */
    static final Map<String, List<String>> NAMESPACED_USAGE = Map.ofEntries(
            Map.entry("localmodels.io/localmodels", List.of("get", "list", "watch", "patch", "update")),
            Map.entry("localmodels.io/modelrouters", List.of("get", "list", "watch", "patch", "update")),
            Map.entry("localmodels.io/localmodels/status", List.of("get", "patch", "update")),
            Map.entry("localmodels.io/modelrouters/status", List.of("get", "patch", "update")),
            Map.entry("localmodels.io/localmodels/finalizers", List.of("update")),
            Map.entry("localmodels.io/modelrouters/finalizers", List.of("update")),
            Map.entry("apps/statefulsets", List.of("get", "list", "watch", "create", "update")),
            Map.entry("apps/deployments", List.of("get", "list", "watch", "create", "update")),
            Map.entry("/services", List.of("get", "list", "watch", "create", "update")),
            Map.entry("/configmaps", List.of("get", "list", "watch", "create", "update")),
            Map.entry("/pods", List.of("get", "list", "watch")),
            Map.entry("/pods/status", List.of("patch")),
            Map.entry("/persistentvolumeclaims", List.of("get")),
            Map.entry("/secrets", List.of("get")),
            Map.entry("/events", List.of("create", "list")));

    @TempDir
    static Path scratch;

    /** Every request the operator makes, given the namespaces it works in. */
    static List<Request> declaredRequests(List<String> namespaces) {
        List<Request> requests = new ArrayList<>();
        for (String namespace : namespaces) {
            NAMESPACED_USAGE.forEach((groupResource, verbs) -> verbs.forEach(verb ->
                    requests.add(request(namespace, groupResource, verb))));
        }
        Stream.of("get", "create", "update", "patch").forEach(verb ->
                requests.add(new Request(OperatorChart.NAMESPACE, "coordination.k8s.io", "leases", verb)));
        requests.add(new Request(null, "apiextensions.k8s.io", "customresourcedefinitions", "get"));
        return requests;
    }

    private static Request request(String namespace, String groupResource, String verb) {
        int slash = groupResource.indexOf('/');
        return new Request(namespace, groupResource.substring(0, slash), groupResource.substring(slash + 1), verb);
    }

    @Test
    void allWatchingChartAllowsEveryDeclaredRequestInAnyNamespace() {
        RbacRules rules = RbacRules.of(OperatorChart.render(Map.of(), scratch));

        assertThat(rules.missing(declaredRequests(List.of("llm", "another-team")))).isEmpty();
        assertThat(rules.hasWildcards()).as("rules with *: %s", rules.wildcardGrants()).isFalse();
    }

    @Test
    void namespacedChartAllowsDeclaredRequestsOnlyInTheWatchedNamespaces() {
        List<String> watched = List.of("team-a", "team-b");
        RbacRules rules = RbacRules.of(OperatorChart.render(Map.of("watchNamespaces", watched), scratch));

        assertThat(rules.missing(declaredRequests(watched))).isEmpty();
        assertThat(rules.hasWildcards()).isFalse();
        NAMESPACED_USAGE.forEach((groupResource, verbs) -> verbs.forEach(verb -> {
            Request r = request("elsewhere", groupResource, verb);
            assertThat(rules.allowsIn("elsewhere", r.group(), r.resource(), r.verb())).as(r.toString()).isFalse();
            assertThat(rules.allowsOnlyIn(watched, r.group(), r.resource(), r.verb())).as(r.toString()).isTrue();
        }));
        assertThat(rules.allowsIn(null, "apiextensions.k8s.io", "customresourcedefinitions", "get")).isTrue();
        assertThat(rules.allowsIn("team-a", "coordination.k8s.io", "leases", "update")).isFalse();
    }

    @Test
    void grantsNothingBeyondWhatTheOperatorDeclares() {
        RbacRules rules = RbacRules.of(OperatorChart.render(Map.of(), scratch));
        Set<String> declared = declaredRequests(List.of("any")).stream().map(RbacRulesTest::key)
                .collect(Collectors.toSet());

        Set<String> granted = rules.grants().stream().flatMap(g -> expand(g.rule())).collect(Collectors.toSet());

        assertThat(granted).isEqualTo(declared);
    }

    @Test
    void noticesARemovedRule() {
        RenderedChart chart = OperatorChart.render(Map.of(), scratch);
        List<HasMetadata> withoutPods = chart.objects().stream()
                .map(o -> o instanceof ClusterRole role ? withoutResource(role, "pods") : o)
                .toList();
        RbacRules rules = RbacRules.of(new RenderedChart(chart.yaml(), withoutPods));

        assertThat(rules.missing(declaredRequests(List.of("llm"))))
                .containsExactly(new Request("llm", "", "pods", "get"), new Request("llm", "", "pods", "list"),
                        new Request("llm", "", "pods", "watch"));
    }

    @Test
    void flagsWildcardsAnywhereInARule() {
        RenderedChart chart = OperatorChart.render(Map.of(), scratch);
        for (PolicyRule wild : List.of(rule("*", "pods", "get"), rule("", "*", "get"), rule("", "pods", "*"),
                rule("", "pods/*", "get"))) {
            List<HasMetadata> objects = chart.objects().stream()
                    .map(o -> o instanceof ClusterRole role ? withRule(role, wild) : o)
                    .toList();
            RbacRules rules = RbacRules.of(new RenderedChart(chart.yaml(), objects));
            assertThat(rules.hasWildcards()).as(wild.toString()).isTrue();
        }
    }

    @Test
    void wildcardsAllowEverythingTheyCover() {
        RenderedChart chart = OperatorChart.render(Map.of(), scratch);
        List<HasMetadata> objects = chart.objects().stream()
                .map(o -> o instanceof ClusterRole role ? withRule(role, rule("", "pods/*", "get")) : o)
                .toList();
        RbacRules rules = RbacRules.of(new RenderedChart(chart.yaml(), objects));

        assertThat(rules.allows("", "pods/log", "get")).isTrue();
        assertThat(rules.allows("", "pods/log", "delete")).isFalse();
    }

    @Test
    void ignoresRolesNotBoundToTheOperator() {
        RenderedChart chart = OperatorChart.render(Map.of(), scratch);
        RbacRules rules = RbacRules.of(chart.objects(), "someone-else", OperatorChart.NAMESPACE);

        assertThat(rules.grants()).isEmpty();
        assertThat(rules.allows("", "pods", "get")).isFalse();
    }

    private static String key(Request r) {
        return r.group() + "/" + r.resource() + ":" + r.verb() + (r.namespace() == null ? "@cluster" : "");
    }

    private static Stream<String> expand(PolicyRule rule) {
        boolean crd = rule.getApiGroups().contains("apiextensions.k8s.io");
        return rule.getApiGroups().stream().flatMap(g -> rule.getResources().stream()
                .flatMap(r -> rule.getVerbs().stream().map(v -> g + "/" + r + ":" + v + (crd ? "@cluster" : ""))));
    }

    private static PolicyRule rule(String group, String resource, String verb) {
        return new PolicyRule(List.of(group), List.of(), List.of(), List.of(resource), List.of(verb));
    }

    private static ClusterRole withRule(ClusterRole role, PolicyRule rule) {
        return new ClusterRoleBuilder(role).addToRules(rule).build();
    }

    private static ClusterRole withoutResource(ClusterRole role, String resource) {
        return new ClusterRoleBuilder(role)
                .withRules(role.getRules().stream().filter(r -> !r.getResources().contains(resource)).toList())
                .build();
    }
}
