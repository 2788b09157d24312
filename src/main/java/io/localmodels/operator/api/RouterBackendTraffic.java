package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Objects;

/**
 * One backend's users' requests through this ModelRouter ({@code status.models[].traffic[]}): the figures of
 * {@code status.health.traffic} on the LocalModel, counted over this router's proxy pods only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RouterBackendTraffic extends TrafficStatus {

    @JsonPropertyDescription("The LocalModel (a backend of this model name)")
    private String localModel;

    public String getLocalModel() { return localModel; }

    public void setLocalModel(String localModel) { this.localModel = localModel; }

    /** {@code figures} of {@code localModel}, copied. */
    public static RouterBackendTraffic of(String localModel, TrafficStatus figures) {
        RouterBackendTraffic t = new RouterBackendTraffic();
        t.setLocalModel(localModel);
        figures.copyInto(t);
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouterBackendTraffic t && Objects.equals(localModel, t.localModel) && super.equals(o);
    }

    @Override
    public int hashCode() {
        return Objects.hash(localModel, super.hashCode());
    }
}
