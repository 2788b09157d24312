package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;

import java.util.function.UnaryOperator;

/**
 * A user's edit, as {@code kubectl edit} does it: read, change, write under the version read, and try again when
 * the operator wrote status in between (409). Tests edit specs while the operator runs, so they race the same way.
 */
public final class Edits {

    private Edits() {
    }

    public static <T extends HasMetadata> T edit(Resource<T> resource, UnaryOperator<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return resource.edit(change);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }
}
