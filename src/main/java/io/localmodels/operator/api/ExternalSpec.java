package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An Ollama server the operator does not run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ExternalSpec {

    @JsonPropertyDescription("Base URL, e.g. http://gpu-box.lan:11434")
    @Required
    @Pattern(Api.URL)
    private String url;

    public String getUrl() { return url; }

    public void setUrl(String url) { this.url = url; }
}
