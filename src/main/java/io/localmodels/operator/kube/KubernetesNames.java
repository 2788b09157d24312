package io.localmodels.operator.kube;

import java.util.regex.Pattern;

/** Kubernetes' own name rules, in one place for both validations. */
public final class KubernetesNames {

    /** RFC 1035 label: what a Service name must be (lower case, digits and '-', starting with a letter). */
    private static final Pattern DNS_1035_LABEL = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern DNS_1123_SUBDOMAIN =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

    private KubernetesNames() {
    }

    /** Whether {@code name} can name a Service (and so anything named after it), at most {@code maxLength} long. */
    public static boolean isServiceName(String name, int maxLength) {
        return name.length() <= maxLength && DNS_1035_LABEL.matcher(name).matches();
    }

    /** Whether {@code s} is a DNS-1123 subdomain (resource names, label prefixes), at most 253 characters. */
    public static boolean isDnsSubdomain(String s) {
        return s.length() <= 253 && DNS_1123_SUBDOMAIN.matcher(s).matches();
    }
}
