package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.localmodels.operator.api.LocalModel;

/**
 * Where the operator reaches a LocalModel's Ollama: the Service for probes and routing, each replica's pod for
 * pulls (every replica keeps its own copy of the model). Tests swap in a fake Ollama's address.
 */
public interface OllamaAddressing {

    /** The base URL shown in status and used by routers. */
    String serviceEndpoint(LocalModel lm);

    /** Where the operator sends inference probes. */
    default String probeEndpoint(LocalModel lm) {
        return serviceEndpoint(lm);
    }

    /** One replica's base URL. */
    String replicaEndpoint(LocalModel lm, Pod pod);

    /** Cluster DNS for the Service, pod IPs for replicas: what an in-cluster operator uses. */
    static OllamaAddressing inCluster() {
        return new OllamaAddressing() {
            @Override
            public String serviceEndpoint(LocalModel lm) {
                if (lm.getSpec() != null && lm.getSpec().getExternal() != null) {
                    String url = lm.getSpec().getExternal().getUrl();
                    return url == null ? null : url.replaceAll("/+$", "");
                }
                return "http://" + lm.getMetadata().getName() + "." + lm.getMetadata().getNamespace()
                        + ".svc.cluster.local:" + OllamaWorkload.PORT;
            }

            @Override
            public String replicaEndpoint(LocalModel lm, Pod pod) {
                String ip = pod.getStatus().getPodIP();
                return "http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + OllamaWorkload.PORT;
            }
        };
    }
}
