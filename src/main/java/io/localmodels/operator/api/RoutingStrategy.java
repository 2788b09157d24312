package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** LiteLLM routing strategies. Only the CRD schema uses it: the spec field stays a string so the operator can report a bad value in a condition. */
public enum RoutingStrategy {
    @JsonProperty("simple-shuffle") SIMPLE_SHUFFLE,
    @JsonProperty("least-busy") LEAST_BUSY,
    @JsonProperty("latency-based-routing") LATENCY_BASED_ROUTING,
    @JsonProperty("usage-based-routing-v2") USAGE_BASED_ROUTING_V2
}
