package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Observability callbacks the operator configures. Only the CRD schema uses it: the spec field stays a string so the operator can report a bad value in a condition. */
public enum CallbackType {
    @JsonProperty("langfuse") LANGFUSE
}
