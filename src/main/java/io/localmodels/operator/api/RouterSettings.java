package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** LiteLLM settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RouterSettings {

    @JsonPropertyDescription("Drop parameters a backend does not support")
    private Boolean dropParams;

    @JsonPropertyDescription("Rejected: LiteLLM would not enforce a global budget here (see docs/routing.md)")
    @Min(0)
    private Double maxBudget;

    @JsonPropertyDescription("Rejected with maxBudget (see docs/routing.md)")
    @Pattern("^[0-9]+(s|m|h|d|mo)$")
    private String budgetDuration;

    @JsonPropertyDescription("LITELLM_LOG: DEBUG, INFO, WARNING or ERROR")
    @SchemaFrom(type = LogLevel.class)
    private String logLevel;

    public Boolean getDropParams() { return dropParams; }

    public void setDropParams(Boolean dropParams) { this.dropParams = dropParams; }

    public Double getMaxBudget() { return maxBudget; }

    public void setMaxBudget(Double maxBudget) { this.maxBudget = maxBudget; }

    public String getBudgetDuration() { return budgetDuration; }

    public void setBudgetDuration(String budgetDuration) { this.budgetDuration = budgetDuration; }

    public String getLogLevel() { return logLevel; }

    public void setLogLevel(String logLevel) { this.logLevel = logLevel; }
}
