package io.localmodels.operator.router;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.TrafficStatus;

import java.util.Map;

/** Where the router reconciler finds each backend's users' requests through one router (the traffic monitor). */
@FunctionalInterface
public interface RouterTraffic {

    RouterTraffic NONE = router -> Map.of();

    /** The figures to show, by LocalModel name (in the router's namespace); empty when no traffic was read. */
    Map<String, TrafficStatus> backends(ResourceID router);
}
