package io.localmodels.operator.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The part of the fleet one operator manages: the LocalModels and ModelRouters its label {@code selector} matches,
 * under a {@code name} that names its leader-election Lease and is written, as the label {@value #LABEL}, on every
 * object it creates, so that its caches of StatefulSets, Services, pods, ConfigMaps and Deployments hold only its own.
 * {@link #ALL} (no selector) is the unsharded operator: everything, today's Lease name, no shard label.
 */
public record Shard(String name, LabelSelector selector) {

    /** On what a sharded operator creates (and on its pods): the shard's name. */
    public static final String LABEL = "localmodels.io/shard";
    /** The Lease of the unsharded operator; a shard's is this plus {@code -<name>}. */
    public static final String LEASE = "localmodels-operator-leader";
    /** Keeps the Lease name a DNS label too (63), so a shard name can also be a label value and a Helm name suffix. */
    static final int MAX_NAME = 63 - LEASE.length() - 1;
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

    public static final Shard ALL = new Shard(null, null);

    /**
     * The shard of {@code --selector} and {@code --shard-name} (either may be null); without a name it is derived
     * from the selector: {@code sel-} and the first 10 hex digits of the SHA-256 of its canonical form.
     *
     * @throws IllegalArgumentException starting with the flag it is about
     */
    public static Shard of(String selectorText, String name) {
        if (selectorText == null) {
            if (name != null) {
                throw new IllegalArgumentException("--shard-name: needs --selector (a shard without a selector "
                        + "would manage every LocalModel)");
            }
            return ALL;
        }
        LabelSelector selector;
        try {
            selector = LabelSelector.parse(selectorText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--selector: '" + selectorText + "' is not a label selector: "
                    + e.getMessage());
        }
        if (name == null) {
            return new Shard("sel-" + sha256(selector.toString()).substring(0, 10), selector);
        }
        if (name.length() > MAX_NAME || !DNS_LABEL.matcher(name).matches()) {
            throw new IllegalArgumentException("--shard-name: '" + name + "' must be at most " + MAX_NAME
                    + " lower case letters, digits and '-', alphanumeric at both ends (it names the Lease "
                    + LEASE + "-<name> and is a label value)");
        }
        return new Shard(name, selector);
    }

    public boolean isAll() {
        return selector == null;
    }

    /** The label selector of the LocalModels and ModelRouters of this shard; empty: all of them. */
    public Optional<String> resourceSelector() {
        return isAll() ? Optional.empty() : Optional.of(selector.toString());
    }

    public String leaseName() {
        return isAll() ? LEASE : LEASE + "-" + name;
    }

    /** The labels this shard adds to what it creates; none when unsharded, so an upgrade rewrites nothing. */
    public Map<String, String> labels() {
        return isAll() ? Map.of() : Map.of(LABEL, name);
    }

    /** {@code selector} narrowed to this shard's own objects. */
    public String ownObjects(String selector) {
        return isAll() ? selector : selector + "," + LABEL + "=" + name;
    }

    /** Whether a resource with {@code labels} belongs to this shard. */
    public boolean contains(Map<String, String> labels) {
        return isAll() || selector.matches(labels);
    }

    /** How logs and conditions name the shard. */
    public String describe() {
        return isAll() ? "all" : "shard " + name + " (selector " + selector + ")";
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
