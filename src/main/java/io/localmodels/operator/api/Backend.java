package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One LocalModel behind a model name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Backend {

    @JsonPropertyDescription("Name of a LocalModel in the same namespace")
    @Required
    private String localModel;

    @JsonPropertyDescription("Share of traffic under simple-shuffle (default 1)")
    @Min(1)
    @Max(1000)
    private Integer weight;

    public String getLocalModel() { return localModel; }

    public void setLocalModel(String localModel) { this.localModel = localModel; }

    public Integer getWeight() { return weight; }

    public void setWeight(Integer weight) { this.weight = weight; }
}
