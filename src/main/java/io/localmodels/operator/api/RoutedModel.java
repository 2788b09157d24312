package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A public model name and the LocalModels that serve it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RoutedModel {

    @JsonPropertyDescription("The model name clients send")
    @Required
    @Size(min = 1, max = 253)
    private String name;

    @JsonPropertyDescription("LocalModels in the same namespace that serve this name")
    @Required
    private List<Backend> backends;

    @JsonPropertyDescription("Other model names of this router, tried in order")
    private List<String> fallbacks;

    @JsonPropertyDescription("Model names tried when the context window is exceeded")
    private List<String> contextWindowFallbacks;

    @JsonPropertyDescription("Timeout of one attempt on a backend; overrides policy.timeout")
    @Pattern(Api.DURATION)
    private String timeout;

    public String getName() { return name; }

    public void setName(String name) { this.name = name; }

    public List<Backend> getBackends() { return backends; }

    public void setBackends(List<Backend> backends) { this.backends = backends; }

    public List<String> getFallbacks() { return fallbacks; }

    public void setFallbacks(List<String> fallbacks) { this.fallbacks = fallbacks; }

    public List<String> getContextWindowFallbacks() { return contextWindowFallbacks; }

    public void setContextWindowFallbacks(List<String> contextWindowFallbacks) { this.contextWindowFallbacks = contextWindowFallbacks; }

    public String getTimeout() { return timeout; }

    public void setTimeout(String timeout) { this.timeout = timeout; }
}
