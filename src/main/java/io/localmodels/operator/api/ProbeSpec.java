package io.localmodels.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The health probe: a real chat call to the model. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ProbeSpec {

    @JsonPropertyDescription("Time between probes (default 30s)")
    @Pattern(Api.DURATION)
    private String interval;

    @JsonPropertyDescription("Timeout of one probe of a loaded model (default 60s); loads have loadTimeout")
    @Pattern(Api.DURATION)
    private String timeout;

    @JsonPropertyDescription("The probe prompt (default: Reply with the single word OK.)")
    @Size(max = 4096)
    private String prompt;

    @JsonPropertyDescription("options.num_predict; thinking tokens count too (default 64)")
    @Min(1)
    @Max(32768)
    private Integer maxTokens;

    @JsonPropertyDescription("auto (from the model's capabilities), off, low, medium or high (default auto)")
    @SchemaFrom(type = ThinkMode.class)
    private String think;

    @JsonPropertyDescription("Probes the success rate and percentiles are computed over (default 20)")
    @Min(1)
    @Max(1000)
    private Integer window;

    @JsonPropertyDescription("How long a model load (warm-up) may take; the probe timeout never applies to it (default 10m)")
    @Pattern(Api.DURATION)
    private String loadTimeout;

    @JsonPropertyDescription("How long a loaded model whose probes only time out while its server answers is Busy, "
            + "not failing (default 5m)")
    @Pattern(Api.DURATION)
    private String busyGrace;

    @JsonPropertyDescription("auto (from the model's capabilities), chat (/api/chat) or embed (/api/embed) (default auto)")
    @SchemaFrom(type = ProbeMethod.class)
    private String method;

    public String getInterval() { return interval; }

    public void setInterval(String interval) { this.interval = interval; }

    public String getTimeout() { return timeout; }

    public void setTimeout(String timeout) { this.timeout = timeout; }

    public String getPrompt() { return prompt; }

    public void setPrompt(String prompt) { this.prompt = prompt; }

    public Integer getMaxTokens() { return maxTokens; }

    public void setMaxTokens(Integer maxTokens) { this.maxTokens = maxTokens; }

    public String getThink() { return think; }

    public void setThink(String think) { this.think = think; }

    public Integer getWindow() { return window; }

    public void setWindow(Integer window) { this.window = window; }

    public String getLoadTimeout() { return loadTimeout; }

    public void setLoadTimeout(String loadTimeout) { this.loadTimeout = loadTimeout; }

    public String getBusyGrace() { return busyGrace; }

    public void setBusyGrace(String busyGrace) { this.busyGrace = busyGrace; }

    public String getMethod() { return method; }

    public void setMethod(String method) { this.method = method; }
}
