package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the probe sets Ollama's think parameter. Only the CRD schema uses it: the spec field stays a string so the operator can report a bad value in a condition. */
public enum ThinkMode {
    @JsonProperty("auto") AUTO,
    @JsonProperty("off") OFF,
    @JsonProperty("low") LOW,
    @JsonProperty("medium") MEDIUM,
    @JsonProperty("high") HIGH
}
