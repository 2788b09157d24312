package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** An observability callback. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class CallbackSpec {

    @JsonPropertyDescription("langfuse")
    @Required
    @SchemaFrom(type = CallbackType.class)
    private String type;

    @JsonPropertyDescription("Secret with the callback's keys (LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY, LANGFUSE_HOST)")
    private String secretRef;

    // not `on`: YAML 1.1 readers (kubectl, Helm) turn a bare `on` key into `true`
    @JsonPropertyDescription("success, failure or both")
    private List<String> events;

    public String getType() { return type; }

    public void setType(String type) { this.type = type; }

    public String getSecretRef() { return secretRef; }

    public void setSecretRef(String secretRef) { this.secretRef = secretRef; }

    public List<String> getEvents() { return events; }

    public void setEvents(List<String> events) { this.events = events; }
}
