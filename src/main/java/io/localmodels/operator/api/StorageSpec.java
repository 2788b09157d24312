package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** The persistent volume of each replica. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class StorageSpec {

    @JsonPropertyDescription("Volume size (default 50Gi)")
    @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")
    private String size;

    @JsonPropertyDescription("Storage class; the cluster default when absent")
    private String storageClassName;

    @JsonPropertyDescription("Keep the volumes (and the downloaded models) when the LocalModel is deleted (default true)")
    private Boolean retainOnDelete;

    public String getSize() { return size; }

    public void setSize(String size) { this.size = size; }

    public String getStorageClassName() { return storageClassName; }

    public void setStorageClassName(String storageClassName) { this.storageClassName = storageClassName; }

    public Boolean getRetainOnDelete() { return retainOnDelete; }

    public void setRetainOnDelete(Boolean retainOnDelete) { this.retainOnDelete = retainOnDelete; }
}
