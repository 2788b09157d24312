package io.localmodels.operator.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The RBAC rules a rendered chart grants the operator's ServiceAccount, and what they allow. Only rules of roles
 * bound to that ServiceAccount count; a RoleBinding grants in its own namespace, a ClusterRoleBinding everywhere.
 * Rules restricted by {@code resourceNames} are not counted as allowing a request (requests here carry no name).
 */
public final class RbacRules {

    /** One API request: {@code namespace} is null for cluster-scoped resources; {@code resource} may hold a
     *  subresource ({@code localmodels/status}); {@code group} is "" for the core group. */
    public record Request(String namespace, String group, String resource, String verb) {
        @Override
        public String toString() {
            String gr = group.isEmpty() ? resource : resource + "." + group;
            return verb + " " + gr + (namespace == null ? " (cluster)" : " in " + namespace);
        }
    }

    /** A rule and where it applies: {@code namespace} null means cluster-wide. */
    public record Grant(String namespace, String role, PolicyRule rule) {
    }

    private final List<Grant> grants;

    private RbacRules(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    /** The rules a rendered chart grants the ServiceAccount its Deployment runs as. */
    public static RbacRules of(RenderedChart chart) {
        Deployment deployment = chart.one(Deployment.class);
        return of(chart.objects(), deployment.getSpec().getTemplate().getSpec().getServiceAccountName(),
                deployment.getMetadata().getNamespace());
    }

    /** The rules among {@code objects} that bind to the ServiceAccount {@code namespace/serviceAccount}. */
    public static RbacRules of(Collection<HasMetadata> objects, String serviceAccount, String namespace) {
        List<Grant> grants = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof ClusterRoleBinding binding && bindsTo(binding.getSubjects(), serviceAccount, namespace)) {
                rulesOf(objects, binding.getRoleRef(), null)
                        .forEach(rule -> grants.add(new Grant(null, binding.getRoleRef().getName(), rule)));
            } else if (object instanceof RoleBinding binding && bindsTo(binding.getSubjects(), serviceAccount, namespace)) {
                String where = binding.getMetadata().getNamespace();
                rulesOf(objects, binding.getRoleRef(), where)
                        .forEach(rule -> grants.add(new Grant(where, binding.getRoleRef().getName(), rule)));
            }
        }
        return new RbacRules(grants);
    }

    private static boolean bindsTo(List<Subject> subjects, String serviceAccount, String namespace) {
        return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                && serviceAccount.equals(s.getName()) && namespace.equals(s.getNamespace()));
    }

    private static List<PolicyRule> rulesOf(Collection<HasMetadata> objects, RoleRef ref, String bindingNamespace) {
        for (HasMetadata object : objects) {
            if (!ref.getName().equals(object.getMetadata().getName())) {
                continue;
            }
            if ("ClusterRole".equals(ref.getKind()) && object instanceof ClusterRole role) {
                return nonNull(role.getRules());
            }
            if ("Role".equals(ref.getKind()) && object instanceof Role role
                    && Objects.equals(bindingNamespace, role.getMetadata().getNamespace())) {
                return nonNull(role.getRules());
            }
        }
        return List.of();
    }

    /** Every granted rule with its scope. */
    public List<Grant> grants() {
        return grants;
    }

    /** Whether some binding allows the request, cluster-wide or in at least one namespace. */
    public boolean allows(String group, String resource, String verb) {
        return grants.stream().anyMatch(g -> matches(g.rule(), group, resource, verb));
    }

    /** Whether the request is allowed in {@code namespace} (null: a cluster-scoped request, needs a ClusterRole). */
    public boolean allowsIn(String namespace, String group, String resource, String verb) {
        return grants.stream()
                .filter(g -> g.namespace() == null || g.namespace().equals(namespace))
                .anyMatch(g -> matches(g.rule(), group, resource, verb));
    }

    /** Whether the rules allow only the given namespaces for this request: none cluster-wide, none elsewhere. */
    public boolean allowsOnlyIn(Collection<String> namespaces, String group, String resource, String verb) {
        return grants.stream()
                .filter(g -> matches(g.rule(), group, resource, verb))
                .allMatch(g -> g.namespace() != null && namespaces.contains(g.namespace()));
    }

    /** The requests the rules do not allow, in order; empty when all are allowed. */
    public List<Request> missing(Collection<Request> requests) {
        return requests.stream()
                .filter(r -> !allowsIn(r.namespace(), r.group(), r.resource(), r.verb()))
                .toList();
    }

    /** Whether any rule uses {@code *} for groups, resources, verbs or resource names. */
    public boolean hasWildcards() {
        return !wildcardGrants().isEmpty();
    }

    /** The rules that use {@code *}, for failure messages. */
    public List<Grant> wildcardGrants() {
        return grants.stream().filter(g -> hasWildcard(g.rule())).toList();
    }

    private static boolean hasWildcard(PolicyRule rule) {
        return nonNull(rule.getApiGroups()).contains("*") || nonNull(rule.getVerbs()).contains("*")
                || nonNull(rule.getResourceNames()).contains("*")
                || nonNull(rule.getResources()).stream().anyMatch(r -> r.equals("*") || r.endsWith("/*"));
    }

    private static boolean matches(PolicyRule rule, String group, String resource, String verb) {
        if (!nonNull(rule.getResourceNames()).isEmpty()) {
            return false;
        }
        return matchesAny(rule.getApiGroups(), group) && matchesAny(rule.getVerbs(), verb)
                && nonNull(rule.getResources()).stream().anyMatch(r -> resourceMatches(r, resource));
    }

    private static boolean matchesAny(List<String> allowed, String value) {
        return nonNull(allowed).stream().anyMatch(a -> a.equals("*") || a.equals(value));
    }

    /** {@code *} matches every resource and subresource; {@code pods/*} every subresource of pods. */
    private static boolean resourceMatches(String allowed, String resource) {
        if (allowed.equals("*") || allowed.equals(resource)) {
            return true;
        }
        return allowed.endsWith("/*") && resource.startsWith(allowed.substring(0, allowed.length() - 1));
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
