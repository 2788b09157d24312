package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** Desired state of a LocalModel: which Ollama model to serve and how. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!has(self.external) || (!has(self.replicas) && !has(self.gpu) && !has(self.storage) && !has(self.image))", message = "spec.external excludes spec.replicas, spec.gpu, spec.storage and spec.image")
public class LocalModelSpec {

    @JsonPropertyDescription("The Ollama model reference, e.g. qwen3:30b")
    @Required
    @Pattern("^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")
    @Size(max = 255)
    private String model;

    @JsonPropertyDescription("Ollama replicas, each with its own volume and copy of the model (default 1)")
    @Min(0)
    @Max(64)
    private Integer replicas;

    @JsonPropertyDescription("Ollama image; operator default when absent (the :rocm variant for AMD GPUs)")
    private String image;

    @JsonPropertyDescription("GPU scheduling; absent or count 0 means CPU only")
    private GpuSpec gpu;

    @JsonPropertyDescription("CPU and memory requests and limits for the Ollama container")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Merged with the gpu.product selector")
    private Map<String,String> nodeSelector;

    @JsonPropertyDescription("Added to the toleration for the GPU taint")
    private List<Toleration> tolerations;

    @JsonPropertyDescription("Pod affinity rules")
    private Affinity affinity;

    @JsonPropertyDescription("Priority class of the Ollama pods")
    private String priorityClassName;

    @JsonPropertyDescription("The volume that keeps downloaded models across restarts")
    private StorageSpec storage;

    @JsonPropertyDescription("Ollama server settings")
    private OllamaSpec ollama;

    @JsonPropertyDescription("An existing Ollama server to probe and route to instead of running one")
    private ExternalSpec external;

    @JsonPropertyDescription("The health probe: a real inference call")
    private ProbeSpec probe;

    @JsonPropertyDescription("When failing probes take the model out of routing")
    private CircuitBreakerSpec circuitBreaker;

    public String getModel() { return model; }

    public void setModel(String model) { this.model = model; }

    public Integer getReplicas() { return replicas; }

    public void setReplicas(Integer replicas) { this.replicas = replicas; }

    public String getImage() { return image; }

    public void setImage(String image) { this.image = image; }

    public GpuSpec getGpu() { return gpu; }

    public void setGpu(GpuSpec gpu) { this.gpu = gpu; }

    public ResourceRequirements getResources() { return resources; }

    public void setResources(ResourceRequirements resources) { this.resources = resources; }

    public Map<String,String> getNodeSelector() { return nodeSelector; }

    public void setNodeSelector(Map<String,String> nodeSelector) { this.nodeSelector = nodeSelector; }

    public List<Toleration> getTolerations() { return tolerations; }

    public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }

    public Affinity getAffinity() { return affinity; }

    public void setAffinity(Affinity affinity) { this.affinity = affinity; }

    public String getPriorityClassName() { return priorityClassName; }

    public void setPriorityClassName(String priorityClassName) { this.priorityClassName = priorityClassName; }

    public StorageSpec getStorage() { return storage; }

    public void setStorage(StorageSpec storage) { this.storage = storage; }

    public OllamaSpec getOllama() { return ollama; }

    public void setOllama(OllamaSpec ollama) { this.ollama = ollama; }

    public ExternalSpec getExternal() { return external; }

    public void setExternal(ExternalSpec external) { this.external = external; }

    public ProbeSpec getProbe() { return probe; }

    public void setProbe(ProbeSpec probe) { this.probe = probe; }

    public CircuitBreakerSpec getCircuitBreaker() { return circuitBreaker; }

    public void setCircuitBreaker(CircuitBreakerSpec circuitBreaker) { this.circuitBreaker = circuitBreaker; }
}
