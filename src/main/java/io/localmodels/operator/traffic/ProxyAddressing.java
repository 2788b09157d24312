package io.localmodels.operator.traffic;

import io.fabric8.kubernetes.api.model.Pod;
import io.localmodels.operator.router.ProxyResources;

/** Where a proxy pod's metrics are read: its pod IP in a cluster (never the Service, which would pick one pod); tests swap in a fake. */
@FunctionalInterface
public interface ProxyAddressing {

    /**
     * The page itself: LiteLLM mounts prometheus_client's app at {@code /metrics}, which answers {@code /metrics} with
     * a redirect to {@code /metrics/}.
     */
    String PATH = "/metrics/";

    String metricsUrl(Pod pod);

    static ProxyAddressing inCluster() {
        return pod -> {
            String ip = pod.getStatus().getPodIP();
            return "http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + ProxyResources.PORT + PATH;
        };
    }
}
