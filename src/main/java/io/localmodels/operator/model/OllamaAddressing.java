package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.localmodels.operator.api.LocalModel;

/**
 * Where a LocalModel's Ollama is reached: the Service (or the external URL) for status and routers; each replica's
 * pod for the operator's pulls, loads and probes, never the Service, which would mix the replicas (each keeps its
 * own copy of the model and is judged on its own). Tests swap in a fake Ollama's address.
 */
public interface OllamaAddressing {

    /** The base URL shown in status and used by routers; for an external model, where the operator reaches it. */
    String serviceEndpoint(LocalModel lm);

    /** One replica's base URL: its pod IP. */
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
