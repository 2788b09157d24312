package io.localmodels.operator.router;

import io.fabric8.kubernetes.api.model.Secret;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which Secrets exist in the router's namespace and which keys they hold: names only, never values, so nothing
 * secret can reach the renderer, a status or a log line.
 *
 * @param keysBySecret secret name → its data keys
 * @param checked      false when the Secrets are not known (offline rendering): secret references are not checked
 */
public record SecretCatalog(Map<String, Set<String>> keysBySecret, boolean checked) {

    /** For offline rendering: secret references are taken on trust. */
    public static final SecretCatalog UNCHECKED = new SecretCatalog(Map.of(), false);

    public SecretCatalog {
        keysBySecret = Map.copyOf(keysBySecret);
    }

    /** Builds the catalog from Secret objects, keeping only their names and data keys. */
    public static SecretCatalog of(Collection<Secret> secrets) {
        Map<String, Set<String>> keys = new HashMap<>();
        for (Secret s : secrets) {
            Set<String> names = new TreeSet<>();
            if (s.getData() != null) {
                names.addAll(s.getData().keySet());
            }
            if (s.getStringData() != null) {
                names.addAll(s.getStringData().keySet());
            }
            keys.put(s.getMetadata().getName(), Set.copyOf(names));
        }
        return new SecretCatalog(keys, true);
    }

    /** The keys of a Secret, or empty when it does not exist. */
    public Optional<Set<String>> keys(String secretName) {
        return Optional.ofNullable(keysBySecret.get(secretName));
    }
}
