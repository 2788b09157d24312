package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a LocalModel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class LocalModelStatus {

    @JsonPropertyDescription("The generation this status describes")
    private Long observedGeneration;

    @JsonPropertyDescription("Pending, Scheduling, Pulling, Loading, Ready, Degraded, Unavailable or Failed")
    private String phase;

    @JsonPropertyDescription("Base URL of the Ollama API serving this model")
    private String endpoint;

    @JsonPropertyDescription("Desired replicas")
    private Integer replicas;

    @JsonPropertyDescription("Replicas whose Ollama answers")
    private Integer readyReplicas;

    @JsonPropertyDescription("readyReplicas/replicas, for kubectl get")
    private String ready;

    @JsonPropertyDescription("Scheduled, ModelPulled, Healthy, Ready, SpecValid")
    private List<Condition> conditions;

    @JsonPropertyDescription("Progress of the model download")
    private PullStatus pull;

    @JsonPropertyDescription("What Ollama reports about the model")
    private ModelDetails model;

    @JsonPropertyDescription("Measured health from the inference probes")
    private HealthStatus health;

    public Long getObservedGeneration() { return observedGeneration; }

    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }

    public String getPhase() { return phase; }

    public void setPhase(String phase) { this.phase = phase; }

    public String getEndpoint() { return endpoint; }

    public void setEndpoint(String endpoint) { this.endpoint = endpoint; }

    public Integer getReplicas() { return replicas; }

    public void setReplicas(Integer replicas) { this.replicas = replicas; }

    public Integer getReadyReplicas() { return readyReplicas; }

    public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }

    public String getReady() { return ready; }

    public void setReady(String ready) { this.ready = ready; }

    public List<Condition> getConditions() { return conditions; }

    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }

    public PullStatus getPull() { return pull; }

    public void setPull(PullStatus pull) { this.pull = pull; }

    public ModelDetails getModel() { return model; }

    public void setModel(ModelDetails model) { this.model = model; }

    public HealthStatus getHealth() { return health; }

    public void setHealth(HealthStatus health) { this.health = health; }
}
