package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** GPU vendors the operator schedules for. Only the CRD schema uses it: the spec field stays a string so the operator can report a bad value in a condition. */
public enum GpuVendor {
    @JsonProperty("nvidia") NVIDIA,
    @JsonProperty("amd") AMD
}
