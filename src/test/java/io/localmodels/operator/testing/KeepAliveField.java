package io.localmodels.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code keep_alive} field of a request as Ollama 0.12.6 reads it ({@code api.Duration.UnmarshalJSON}): a JSON
 * number is seconds, a string is a Go duration ({@code time.ParseDuration}, so {@code "-1"} is a 400), a negative
 * value keeps the model loaded forever.
 */
final class KeepAliveField {

    private static final Pattern GO_DURATION = Pattern.compile("[-+]?(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:ns|us|µs|ms|s|m|h))+");
    private static final Pattern UNIT = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern BARE_NUMBER = Pattern.compile("[-+]?[0-9.]+");

    private KeepAliveField() {
    }

    /** Null when absent (the server's OLLAMA_KEEP_ALIVE applies); a negative duration for "forever". */
    static Duration read(JsonNode body) {
        JsonNode value = body.get("keep_alive");
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return seconds(value.decimalValue());
        }
        if (value.isTextual()) {
            return goDuration(value.asText());
        }
        throw new IllegalArgumentException("Unsupported type: '" + value.getNodeType().name().toLowerCase() + "'");
    }

    private static Duration seconds(BigDecimal seconds) {
        return seconds.signum() < 0 ? Duration.ofSeconds(-1)
                : Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    /** Go's time.ParseDuration, with its error texts. */
    static Duration goDuration(String text) {
        if (text.equals("0") || text.equals("+0") || text.equals("-0")) {
            return Duration.ZERO;
        }
        if (!GO_DURATION.matcher(text).matches()) {
            String quoted = "\"" + text + "\"";
            throw new IllegalArgumentException(BARE_NUMBER.matcher(text).matches()
                    ? "time: missing unit in duration " + quoted : "time: invalid duration " + quoted);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher unit = UNIT.matcher(text);
        while (unit.find()) {
            nanos = nanos.add(new BigDecimal(unit.group(1).startsWith(".") ? "0" + unit.group(1) : unit.group(1))
                    .multiply(BigDecimal.valueOf(switch (unit.group(2)) {
                        case "ns" -> 1L;
                        case "us", "µs" -> 1_000L;
                        case "ms" -> 1_000_000L;
                        case "s" -> 1_000_000_000L;
                        case "m" -> 60_000_000_000L;
                        default -> 3_600_000_000_000L;
                    })));
        }
        return text.startsWith("-") ? Duration.ofSeconds(-1) : Duration.ofNanos(nanos.longValue());
    }
}
