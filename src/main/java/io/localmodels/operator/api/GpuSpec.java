package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/** GPUs for each Ollama replica. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class GpuSpec {

    @JsonPropertyDescription("GPUs per replica; 0 means CPU only")
    @Min(0)
    @Max(16)
    private Integer count;

    @JsonPropertyDescription("nvidia (nvidia.com/gpu) or amd (amd.com/gpu); default nvidia")
    @SchemaFrom(type = GpuVendor.class)
    private String vendor;

    @JsonPropertyDescription("Overrides the extended resource name, e.g. nvidia.com/mig-1g.10gb")
    @Pattern("^[A-Za-z0-9.-]+/[A-Za-z0-9._-]+$")
    private String resourceName;

    @JsonPropertyDescription("Node label value for nvidia.com/gpu.product, e.g. NVIDIA-A100-SXM4-80GB")
    private String product;

    @JsonPropertyDescription("Runtime class of the pods, e.g. nvidia")
    private String runtimeClassName;

    @JsonPropertyDescription("Supplemental groups of the Ollama pods: the GIDs owning /dev/kfd and /dev/dri on the node "
            + "(video, render); with an amd GPU the operator default is [44, 110], [] for none")
    @Size(max = 32)
    @ValidationRule(value = "self.all(g, g >= 0 && g <= 2147483647)", message = "group IDs are 0 to 2147483647")
    private List<Long> supplementalGroups;

    public Integer getCount() { return count; }

    public void setCount(Integer count) { this.count = count; }

    public String getVendor() { return vendor; }

    public void setVendor(String vendor) { this.vendor = vendor; }

    public String getResourceName() { return resourceName; }

    public void setResourceName(String resourceName) { this.resourceName = resourceName; }

    public String getProduct() { return product; }

    public void setProduct(String product) { this.product = product; }

    public String getRuntimeClassName() { return runtimeClassName; }

    public void setRuntimeClassName(String runtimeClassName) { this.runtimeClassName = runtimeClassName; }

    public List<Long> getSupplementalGroups() { return supplementalGroups; }

    public void setSupplementalGroups(List<Long> supplementalGroups) { this.supplementalGroups = supplementalGroups; }
}
