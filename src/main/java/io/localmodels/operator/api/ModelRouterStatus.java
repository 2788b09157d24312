package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a ModelRouter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ModelRouterStatus {

    @JsonPropertyDescription("The generation this status describes")
    private Long observedGeneration;

    @JsonPropertyDescription("Pending, Ready, Degraded, Invalid or Failed")
    private String phase;

    @JsonPropertyDescription("Base URL of the proxy")
    private String endpoint;

    @JsonPropertyDescription("Desired proxy replicas")
    private Integer replicas;

    @JsonPropertyDescription("Ready proxy replicas")
    private Integer readyReplicas;

    @JsonPropertyDescription("readyReplicas/replicas, for kubectl get")
    private String ready;

    @JsonPropertyDescription("Model names served")
    private Integer modelCount;

    @JsonPropertyDescription("Model names with a healthy backend over all model names")
    private String healthy;

    @JsonPropertyDescription("Hash of the LiteLLM config in use")
    private String configHash;

    @JsonPropertyDescription("Each model name's backends")
    private List<RouterModelStatus> models;

    @JsonPropertyDescription("ConfigValid, Available, Degraded")
    private List<Condition> conditions;

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

    public Integer getModelCount() { return modelCount; }

    public void setModelCount(Integer modelCount) { this.modelCount = modelCount; }

    public String getHealthy() { return healthy; }

    public void setHealthy(String healthy) { this.healthy = healthy; }

    public String getConfigHash() { return configHash; }

    public void setConfigHash(String configHash) { this.configHash = configHash; }

    public List<RouterModelStatus> getModels() { return models; }

    public void setModels(List<RouterModelStatus> models) { this.models = models; }

    public List<Condition> getConditions() { return conditions; }

    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
}
