package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** Desired state of a ModelRouter: a LiteLLM proxy and its routing policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ModelRouterSpec {

    @JsonPropertyDescription("LiteLLM image; operator default when absent")
    private String image;

    @JsonPropertyDescription("Proxy replicas (default 1)")
    @Min(0)
    @Max(64)
    private Integer replicas;

    @JsonPropertyDescription("Clients asking for \"default\" get this model name")
    private String defaultModel;

    @JsonPropertyDescription("The model names the proxy serves and their backends")
    @Required
    private List<RoutedModel> models;

    @JsonPropertyDescription("Routing, retries, timeouts and cooldown")
    private RoutingPolicy policy;

    @JsonPropertyDescription("Leave out backends that are not Ready or whose circuit is Open (default true)")
    private Boolean healthGating;

    @JsonPropertyDescription("LiteLLM settings")
    private RouterSettings settings;

    @JsonPropertyDescription("Observability callbacks")
    private List<CallbackSpec> callbacks;

    @JsonPropertyDescription("Secret key holding the proxy master key (must start with sk-)")
    private SecretKeyRef masterKeySecretRef;

    @JsonPropertyDescription("Rejected: database mode fails to start as non-root (see docs/routing.md)")
    private SecretKeyRef databaseUrlSecretRef;

    @JsonPropertyDescription("CPU and memory of the proxy container")
    private ResourceRequirements resources;

    public String getImage() { return image; }

    public void setImage(String image) { this.image = image; }

    public Integer getReplicas() { return replicas; }

    public void setReplicas(Integer replicas) { this.replicas = replicas; }

    public String getDefaultModel() { return defaultModel; }

    public void setDefaultModel(String defaultModel) { this.defaultModel = defaultModel; }

    public List<RoutedModel> getModels() { return models; }

    public void setModels(List<RoutedModel> models) { this.models = models; }

    public RoutingPolicy getPolicy() { return policy; }

    public void setPolicy(RoutingPolicy policy) { this.policy = policy; }

    public Boolean getHealthGating() { return healthGating; }

    public void setHealthGating(Boolean healthGating) { this.healthGating = healthGating; }

    public RouterSettings getSettings() { return settings; }

    public void setSettings(RouterSettings settings) { this.settings = settings; }

    public List<CallbackSpec> getCallbacks() { return callbacks; }

    public void setCallbacks(List<CallbackSpec> callbacks) { this.callbacks = callbacks; }

    public SecretKeyRef getMasterKeySecretRef() { return masterKeySecretRef; }

    public void setMasterKeySecretRef(SecretKeyRef masterKeySecretRef) { this.masterKeySecretRef = masterKeySecretRef; }

    public SecretKeyRef getDatabaseUrlSecretRef() { return databaseUrlSecretRef; }

    public void setDatabaseUrlSecretRef(SecretKeyRef databaseUrlSecretRef) { this.databaseUrlSecretRef = databaseUrlSecretRef; }

    public ResourceRequirements getResources() { return resources; }

    public void setResources(ResourceRequirements resources) { this.resources = resources; }
}
