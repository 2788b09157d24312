package io.localmodels.operator.runtime;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up the leader lease when the operator stops. JOSDK 5.2.3 builds fabric8's elector with
 * {@code releaseOnCancel = false}, so without this a rolling upgrade leaves the fleet unprobed for a whole lease
 * duration (15 s by default) while the new replica waits for the old lease to expire.
 */
final class LeaseHandover {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseHandover.class);

    private LeaseHandover() {
    }

    /** Clears the holder if this replica still holds the lease; any failure only delays the successor. */
    static void release(KubernetesClient client, LeaderElectionConfiguration election) {
        String namespace = election.getLeaseNamespace().orElse(client.getNamespace());
        String identity = election.getIdentity().orElse(null);
        if (namespace == null || identity == null) {
            return;
        }
        try {
            Lease current = client.leases().inNamespace(namespace).withName(election.getLeaseName()).get();
            if (current == null || current.getSpec() == null || !identity.equals(current.getSpec().getHolderIdentity())) {
                return;
            }
            // an update under the read resourceVersion: a successor that took the lease meanwhile wins (409)
            current.getSpec().setHolderIdentity(null);
            current.getSpec().setLeaseDurationSeconds(1);
            client.resource(current).update();
            LOG.info("released leader lease {}/{}", namespace, election.getLeaseName());
        } catch (KubernetesClientException e) {
            LOG.warn("could not release leader lease {}/{}: {}", namespace, election.getLeaseName(), e.getMessage());
        }
    }
}
