package io.localmodels.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.util.Optional;

/** Where the health monitor finds a model's latest {@link TrafficEvidence}; empty when no router reads it. */
@FunctionalInterface
public interface TrafficSource {

    TrafficSource NONE = id -> Optional.empty();

    Optional<TrafficEvidence> latest(ResourceID id);
}
