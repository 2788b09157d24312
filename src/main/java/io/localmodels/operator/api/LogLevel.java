package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** LiteLLM log levels. Only the CRD schema uses it: the spec field stays a string so the operator can report a bad value in a condition. */
public enum LogLevel {
    @JsonProperty("DEBUG") DEBUG,
    @JsonProperty("INFO") INFO,
    @JsonProperty("WARNING") WARNING,
    @JsonProperty("ERROR") ERROR
}
