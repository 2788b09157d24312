package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Backends of one model name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RouterModelStatus {

    @JsonPropertyDescription("The model name")
    private String name;

    @JsonPropertyDescription("Backends declared")
    private Integer backends;

    @JsonPropertyDescription("Backends in the rendered config that are healthy")
    private Integer healthyBackends;

    @JsonPropertyDescription("Backends left out by health gating")
    private List<ExcludedBackend> excluded;

    public String getName() { return name; }

    public void setName(String name) { this.name = name; }

    public Integer getBackends() { return backends; }

    public void setBackends(Integer backends) { this.backends = backends; }

    public Integer getHealthyBackends() { return healthyBackends; }

    public void setHealthyBackends(Integer healthyBackends) { this.healthyBackends = healthyBackends; }

    public List<ExcludedBackend> getExcluded() { return excluded; }

    public void setExcluded(List<ExcludedBackend> excluded) { this.excluded = excluded; }
}
