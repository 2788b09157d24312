package io.localmodels.operator.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes-style duration strings ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code 250ms}), and when to come back. */
public final class Durations {

    private static final Pattern WHOLE = Pattern.compile("([0-9]+(\\.[0-9]+)?(ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses {@code text}, or returns {@code fallback} when it is null.
     *
     * @throws IllegalArgumentException when the text is not a duration; the message says what is accepted
     */
    public static Duration parse(String text, Duration fallback) {
        if (text == null) {
            return fallback;
        }
        String trimmed = text.trim();
        if (!WHOLE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("'" + abbreviate(trimmed) + "' is not a duration such as 30s, 5m or 1h30m");
        }
        Matcher m = PART.matcher(trimmed);
        double millis = 0;
        while (m.find()) {
            double n = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1_000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
        }
        if (millis > Duration.ofDays(365).toMillis()) {
            throw new IllegalArgumentException("'" + trimmed + "' is longer than a year");
        }
        return Duration.ofMillis(Math.round(millis));
    }

    /** The shortest Kubernetes-style form: 90s → 1m30s. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        StringBuilder out = new StringBuilder();
        if (s >= 3600) {
            out.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            out.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0 || out.length() == 0) {
            out.append(s).append('s');
        }
        return out.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** The shorter of a wait that may not be needed and one that is: when a reconcile must come back. */
    public static Optional<Duration> sooner(Optional<Duration> maybe, Duration other) {
        return Optional.of(maybe.filter(d -> d.compareTo(other) < 0).orElse(other));
    }
}
