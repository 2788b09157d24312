package io.localmodels.operator.install;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a pod spec against the Kubernetes Pod Security "restricted" profile, as far as a spec shows it:
 * non-root, no privilege escalation, all capabilities dropped, a RuntimeDefault (or Localhost) seccomp profile,
 * no host namespaces, ports or paths, and only the volume types the profile allows. Each violation names the
 * container and the field.
 */
public final class RestrictedProfile {

    /** Volume types the restricted profile allows. */
    private static final Set<String> ALLOWED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static final Set<String> SECCOMP_TYPES = Set.of("RuntimeDefault", "Localhost");

    private RestrictedProfile() {
    }

    /** The violations of the restricted profile; empty when the pod passes. */
    public static List<String> violations(PodSpec pod) {
        List<String> found = new ArrayList<>();
        PodSecurityContext podContext = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
        if (Boolean.TRUE.equals(pod.getHostNetwork())) {
            found.add("pod: hostNetwork must not be true");
        }
        if (Boolean.TRUE.equals(pod.getHostPID())) {
            found.add("pod: hostPID must not be true");
        }
        if (Boolean.TRUE.equals(pod.getHostIPC())) {
            found.add("pod: hostIPC must not be true");
        }
        if (Long.valueOf(0).equals(podContext.getRunAsUser())) {
            found.add("pod: securityContext.runAsUser must not be 0");
        }
        if (podContext.getSeccompProfile() != null && !SECCOMP_TYPES.contains(podContext.getSeccompProfile().getType())) {
            found.add("pod: securityContext.seccompProfile.type must be RuntimeDefault or Localhost");
        }
        for (Volume volume : nonNull(pod.getVolumes())) {
            String type = volumeType(volume);
            if (!ALLOWED_VOLUMES.contains(type)) {
                found.add("pod: volume " + volume.getName() + " is of type " + type + ", not allowed");
            }
        }
        containers(pod).forEach(c -> found.addAll(containerViolations(c, podContext)));
        return found;
    }

    private static Stream<Container> containers(PodSpec pod) {
        Stream<Container> ephemeral = nonNull(pod.getEphemeralContainers()).stream()
                .map(e -> new ContainerBuilder().withName(e.getName()).withSecurityContext(e.getSecurityContext())
                        .withPorts(e.getPorts()).build());
        return Stream.of(nonNull(pod.getInitContainers()).stream(), nonNull(pod.getContainers()).stream(), ephemeral)
                .flatMap(s -> s);
    }

    private static List<String> containerViolations(Container container, PodSecurityContext pod) {
        List<String> found = new ArrayList<>();
        String where = "container " + container.getName() + ": securityContext.";
        SecurityContext sc = container.getSecurityContext() == null ? new SecurityContext() : container.getSecurityContext();
        if (Boolean.TRUE.equals(sc.getPrivileged())) {
            found.add(where + "privileged must not be true");
        }
        if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            found.add(where + "allowPrivilegeEscalation must be false");
        }
        boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : Boolean.TRUE.equals(pod.getRunAsNonRoot());
        if (!nonRoot) {
            found.add(where + "runAsNonRoot must be true (here or on the pod)");
        }
        if (Long.valueOf(0).equals(sc.getRunAsUser())) {
            found.add(where + "runAsUser must not be 0");
        }
        SeccompProfile seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : pod.getSeccompProfile();
        if (seccomp == null || !SECCOMP_TYPES.contains(seccomp.getType())) {
            found.add(where + "seccompProfile.type must be RuntimeDefault (here or on the pod)");
        }
        Capabilities caps = sc.getCapabilities() == null ? new Capabilities() : sc.getCapabilities();
        if (!nonNull(caps.getDrop()).contains("ALL")) {
            found.add(where + "capabilities.drop must contain ALL");
        }
        nonNull(caps.getAdd()).stream().filter(c -> !c.equals("NET_BIND_SERVICE"))
                .forEach(c -> found.add(where + "capabilities.add must not contain " + c));
        for (ContainerPort port : nonNull(container.getPorts())) {
            if (port.getHostPort() != null && port.getHostPort() != 0) {
                found.add("container " + container.getName() + ": ports.hostPort must not be set");
            }
        }
        return found;
    }

    /** The name of the set volume source field, e.g. hostPath or emptyDir. */
    private static String volumeType(Volume v) {
        if (v.getHostPath() != null) return "hostPath";
        if (v.getConfigMap() != null) return "configMap";
        if (v.getCsi() != null) return "csi";
        if (v.getDownwardAPI() != null) return "downwardAPI";
        if (v.getEmptyDir() != null) return "emptyDir";
        if (v.getEphemeral() != null) return "ephemeral";
        if (v.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
        if (v.getProjected() != null) return "projected";
        if (v.getSecret() != null) return "secret";
        return "other";
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
