package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which Ollama call probes the model. Only the CRD schema uses it: the spec field stays a string so a bad value is reported in a condition. */
public enum ProbeMethod {
    @JsonProperty("auto") AUTO,
    @JsonProperty("chat") CHAT,
    @JsonProperty("embed") EMBED
}
