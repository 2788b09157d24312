package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A backend left out by health gating. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ExcludedBackend {

    @JsonPropertyDescription("The LocalModel")
    private String localModel;

    @JsonPropertyDescription("Why it was left out")
    private String reason;

    public String getLocalModel() { return localModel; }

    public void setLocalModel(String localModel) { this.localModel = localModel; }

    public String getReason() { return reason; }

    public void setReason(String reason) { this.reason = reason; }
}
