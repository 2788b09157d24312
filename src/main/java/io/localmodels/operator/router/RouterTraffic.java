package io.localmodels.operator.router;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.TrafficStatus;

import java.util.Map;

/** Where the router reconciler finds each backend's users' requests through one router (the traffic monitor). */
@FunctionalInterface
public interface RouterTraffic {

    RouterTraffic NONE = (router, inStatus) -> Map.of();

    /**
     * The figures to show, by LocalModel name (in the router's namespace); empty when no traffic was read.
     *
     * @param inStatus what the router's status shows now: until this process has read the router's proxies (it just
     *                 started), that stands, and later figures are compared with it, so a restart rewrites nothing
     */
    Map<String, TrafficStatus> backends(ResourceID router, Map<String, TrafficStatus> inStatus);
}
