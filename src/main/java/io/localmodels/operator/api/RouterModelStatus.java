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

    @JsonPropertyDescription("Each backend's users' requests through this router, from its proxies' metrics; "
            + "backends without traffic are not listed")
    private List<RouterBackendTraffic> traffic;

    public String getName() { return name; }

    public void setName(String name) { this.name = name; }

    public Integer getBackends() { return backends; }

    public void setBackends(Integer backends) { this.backends = backends; }

    public Integer getHealthyBackends() { return healthyBackends; }

    public void setHealthyBackends(Integer healthyBackends) { this.healthyBackends = healthyBackends; }

    public List<ExcludedBackend> getExcluded() { return excluded; }

    public void setExcluded(List<ExcludedBackend> excluded) { this.excluded = excluded; }

    public List<RouterBackendTraffic> getTraffic() { return traffic; }

    public void setTraffic(List<RouterBackendTraffic> traffic) { this.traffic = traffic; }

    /** A copy with the same figures (the traffic list is shared: its entries are not changed once built). */
    public RouterModelStatus copy() {
        RouterModelStatus c = new RouterModelStatus();
        c.setName(name);
        c.setBackends(backends);
        c.setHealthyBackends(healthyBackends);
        c.setExcluded(excluded);
        c.setTraffic(traffic);
        return c;
    }
}
