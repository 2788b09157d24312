package io.localmodels.operator.faults;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.testing.ModelsInCluster;

/** LocalModels the fault tests create, with fast probes and a circuit that opens after two failures. */
final class ModelSpecs {

    static final String NAMESPACE = ModelsInCluster.NAMESPACE;
    /** A busy grace of 1 s: a server that answers GET / but never a chat counts as timing out after a second. */
    static final String FAST_HEALTH = """
              probe: {interval: 100ms, timeout: 400ms, think: 'off', window: 4, busyGrace: 1s}
              circuitBreaker: {minimumProbes: 2, openDuration: 1s, halfOpenProbes: 1}
            """;

    private ModelSpecs() {
    }

    /** An external server, only probed and routed to: no workload, no kubelet to play. */
    static LocalModel external(KubernetesClient client, String name, String url) {
        return localModel(client, name, "  external: {url: '%s'}\n".formatted(url.replaceAll("/+$", "")));
    }

    /** A model the operator runs: a StatefulSet and a Service. */
    static LocalModel managed(KubernetesClient client, String name) {
        return localModel(client, name, "  storage: {size: 10Gi}\n");
    }

    private static LocalModel localModel(KubernetesClient client, String name, String where) {
        return client.getKubernetesSerialization().unmarshal("""
                apiVersion: localmodels.io/v1alpha1
                kind: LocalModel
                metadata: {name: %s, namespace: %s}
                spec:
                  model: 'qwen3:8b'
                %s%s""".formatted(name, NAMESPACE, where, FAST_HEALTH), LocalModel.class);
    }
}
