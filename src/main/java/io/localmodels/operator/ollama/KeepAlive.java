package io.localmodels.operator.ollama;

import io.localmodels.operator.api.Api;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code OLLAMA_KEEP_ALIVE} as Ollama 0.12.6 reads it ({@code envconfig.KeepAlive}): a Go duration
 * ({@code time.ParseDuration}: {@code 1h30m}, {@code 300ms}, {@code -1m}), else an integer of seconds
 * ({@code -1}, {@code 3600}); negative keeps the model loaded. Anything else — {@code 1.5}, {@code 5 m},
 * {@code forever}, a duration past 290 years — Ollama silently replaces with 5m, so the operator refuses it.
 * <p>The request field {@code keep_alive} is read differently ({@code api.Duration.UnmarshalJSON}): a JSON number is
 * seconds, a JSON string must be a Go duration, so {@code "-1"} sent as a string is a 400
 * ({@code time: missing unit in duration "-1"}); {@link #requestValue} sends each kind the way Ollama reads it.
 */
public final class KeepAlive {

    /** The grammar the CRD schema checks too; only the range needs arithmetic. */
    private static final Pattern WHOLE = Pattern.compile(Api.KEEP_ALIVE);
    private static final Pattern COMPONENT = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L,
            "\u03bcs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);
    /** Go durations are int64 nanoseconds; beyond that ParseDuration fails and an integer overflows. */
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private KeepAlive() {
    }

    /**
     * The {@code keep_alive} request value for a LocalModel's keep-alive: integer seconds as a JSON number, a Go
     * duration as a string; null (the field left out: the server's OLLAMA_KEEP_ALIVE applies) for null or blank.
     */
    public static Object requestValue(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        return v.matches("[-+]?[0-9]+") ? new BigDecimal(v) : v;
    }

    /** Whether Ollama takes the value as given instead of falling back to 5m. */
    public static boolean isReadByOllama(String value) {
        if (value == null || !WHOLE.matcher(value).matches()) {
            return false;
        }
        String unsigned = value.startsWith("-") || value.startsWith("+") ? value.substring(1) : value;
        if (unsigned.chars().allMatch(Character::isDigit)) {
            // "0" is a duration; other integers are seconds, multiplied into nanoseconds
            return new BigDecimal(unsigned).multiply(BigDecimal.valueOf(1_000_000_000L)).compareTo(MAX_NANOS) <= 0;
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher component = COMPONENT.matcher(unsigned);
        while (component.find()) {
            String number = component.group(1);
            BigDecimal amount = new BigDecimal(number.startsWith(".") ? "0" + number : number.endsWith(".") ? number + "0" : number);
            nanos = nanos.add(amount.multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(component.group(2)))));
        }
        return nanos.compareTo(MAX_NANOS) <= 0;
    }
}
