package io.localmodels.operator.ollama;

import com.fasterxml.jackson.annotation.JsonValue;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The {@code keep_alive} request field. Ollama reads a JSON number as seconds and a JSON string as a Go duration
 * ({@code api.Duration.UnmarshalJSON}), so a LocalModel's {@code "-1"} or {@code "3600"} must travel as a number:
 * sent as a string it is a 400 ({@code time: missing unit in duration "-1"}). Negative keeps the model loaded.
 */
public record KeepAlive(String spec) {

    private static final Pattern SECONDS = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    /** Null for a null spec, so the field is left out and the server's OLLAMA_KEEP_ALIVE applies. */
    public static KeepAlive of(String spec) {
        return spec == null || spec.isBlank() ? null : new KeepAlive(spec.strip());
    }

    @JsonValue
    public Object json() {
        return SECONDS.matcher(spec).matches() ? new BigDecimal(spec) : spec;
    }
}
