package io.localmodels.operator.install;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RestrictedProfile} passes a compliant pod and names each kind of violation. */
class RestrictedProfileTest {

    private static PodSpecBuilder compliant() {
        return new PodSpecBuilder()
                .withNewSecurityContext()
                    .withRunAsNonRoot(true).withRunAsUser(65532L)
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                    .withName("app")
                    .withNewSecurityContext()
                        .withAllowPrivilegeEscalation(false)
                        .withNewCapabilities().withDrop("ALL").endCapabilities()
                    .endSecurityContext()
                .endContainer()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("models").withNewPersistentVolumeClaim().withClaimName("m").endPersistentVolumeClaim().endVolume();
    }

    private static PodSpec changed(UnaryOperator<PodSpec> change) {
        return change.apply(compliant().build());
    }

    @Test
    void passesACompliantPod() {
        assertThat(RestrictedProfile.violations(compliant().build())).isEmpty();
    }

    @Test
    void acceptsContainerLevelSettingsInsteadOfPodLevel() {
        PodSpec pod = compliant().withSecurityContext(null).editFirstContainer().editSecurityContext()
                .withRunAsNonRoot(true).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext().endContainer().build();
        assertThat(RestrictedProfile.violations(pod)).isEmpty();
    }

    @Test
    void requiresRunAsNonRoot() {
        assertThat(RestrictedProfile.violations(changed(p -> {
            p.getSecurityContext().setRunAsNonRoot(null);
            return p;
        }))).containsExactly("container app: securityContext.runAsNonRoot must be true (here or on the pod)");
        assertThat(RestrictedProfile.violations(changed(p -> {
            p.getContainers().get(0).getSecurityContext().setRunAsNonRoot(false);
            return p;
        }))).hasSize(1);
        assertThat(RestrictedProfile.violations(changed(p -> {
            p.getSecurityContext().setRunAsUser(0L);
            return p;
        }))).containsExactly("pod: securityContext.runAsUser must not be 0");
    }

    @Test
    void requiresPrivilegeEscalationExplicitlyOff() {
        assertThat(RestrictedProfile.violations(changed(p -> {
            p.getContainers().get(0).getSecurityContext().setAllowPrivilegeEscalation(null);
            return p;
        }))).containsExactly("container app: securityContext.allowPrivilegeEscalation must be false");
    }

    @Test
    void requiresAllCapabilitiesDropped() {
        assertThat(RestrictedProfile.violations(changed(p -> {
            p.getContainers().get(0).getSecurityContext().getCapabilities().setDrop(List.of("NET_RAW"));
            p.getContainers().get(0).getSecurityContext().getCapabilities().setAdd(List.of("SYS_ADMIN"));
            return p;
        }))).containsExactly("container app: securityContext.capabilities.drop must contain ALL",
                "container app: securityContext.capabilities.add must not contain SYS_ADMIN");
    }

    @Test
    void requiresARuntimeDefaultSeccompProfile() {
        assertThat(RestrictedProfile.violations(changed(p -> {
            p.getSecurityContext().setSeccompProfile(null);
            return p;
        }))).containsExactly("container app: securityContext.seccompProfile.type must be RuntimeDefault (here or on the pod)");
        assertThat(RestrictedProfile.violations(changed(p -> {
            p.getSecurityContext().getSeccompProfile().setType("Unconfined");
            return p;
        }))).hasSize(2);
    }

    @Test
    void forbidsHostAccess() {
        assertThat(RestrictedProfile.violations(changed(p -> {
            p.setHostNetwork(true);
            p.setHostPID(true);
            return p;
        }))).containsExactly("pod: hostNetwork must not be true", "pod: hostPID must not be true");
        PodSpec hostPath = compliant().addNewVolume().withName("docker").withNewHostPath().withPath("/var/run")
                .endHostPath().endVolume().build();
        assertThat(RestrictedProfile.violations(hostPath))
                .containsExactly("pod: volume docker is of type hostPath, not allowed");
        PodSpec hostPort = compliant().editFirstContainer().addNewPort().withContainerPort(80).withHostPort(80)
                .endPort().endContainer().build();
        assertThat(RestrictedProfile.violations(hostPort)).containsExactly("container app: ports.hostPort must not be set");
    }

    @Test
    void checksInitContainersAndPrivilegedMode() {
        PodSpec pod = compliant().addNewInitContainer().withName("init").withNewSecurityContext()
                .withPrivileged(true).endSecurityContext().endInitContainer().build();
        assertThat(RestrictedProfile.violations(pod)).contains(
                "container init: securityContext.privileged must not be true",
                "container init: securityContext.allowPrivilegeEscalation must be false",
                "container init: securityContext.capabilities.drop must contain ALL");
    }
}
