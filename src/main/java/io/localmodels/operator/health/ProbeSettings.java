package io.localmodels.operator.health;

import io.localmodels.operator.api.ProbeSpec;
import io.localmodels.operator.config.Durations;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code spec.probe} with defaults applied and values checked. A value record, so two resolutions of the same
 * spec are equal and {@code HealthMonitor.track} can tell "unchanged" from "changed".
 *
 * @param think auto, off, low, medium or high (lower case)
 */
public record ProbeSettings(Duration interval, Duration timeout, String prompt, int maxTokens, String think,
                            int window) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final String DEFAULT_PROMPT = "Reply with the single word OK.";
    public static final int DEFAULT_MAX_TOKENS = 64;
    public static final String AUTO = "auto";
    public static final String OFF = "off";
    public static final List<String> THINK_MODES = List.of(AUTO, OFF, "low", "medium", "high");
    public static final int DEFAULT_WINDOW = 20;
    static final int MAX_WINDOW = 1000;
    static final int MAX_TOKENS = 32768;

    public static ProbeSettings defaults() {
        return from(null);
    }

    /**
     * Resolves a spec (null means all defaults).
     *
     * @throws IllegalArgumentException naming the field, e.g. {@code spec.probe.interval: ...}
     */
    public static ProbeSettings from(ProbeSpec spec) {
        ProbeSpec s = spec == null ? new ProbeSpec() : spec;
        Duration interval = positive("spec.probe.interval", s.getInterval(), DEFAULT_INTERVAL);
        Duration timeout = positive("spec.probe.timeout", s.getTimeout(), DEFAULT_TIMEOUT);
        String prompt = s.getPrompt() == null ? DEFAULT_PROMPT : s.getPrompt();
        if (prompt.isBlank()) {
            throw new IllegalArgumentException("spec.probe.prompt: must not be blank");
        }
        int maxTokens = within("spec.probe.maxTokens", s.getMaxTokens(), DEFAULT_MAX_TOKENS, 1, MAX_TOKENS);
        String think = think("spec.probe.think", s.getThink());
        int window = within("spec.probe.window", s.getWindow(), DEFAULT_WINDOW, 1, MAX_WINDOW);
        return new ProbeSettings(interval, timeout, prompt, maxTokens, think, window);
    }

    /** Checks a think mode given by a user; null means auto. */
    public static String think(String field, String value) {
        if (value == null) {
            return AUTO;
        }
        String mode = value.trim().toLowerCase(Locale.ROOT);
        if (!THINK_MODES.contains(mode)) {
            throw new IllegalArgumentException(field + ": '" + value + "' is not one of " + String.join(", ", THINK_MODES));
        }
        return mode;
    }

    static Duration positive(String field, String text, Duration fallback) {
        Duration d;
        try {
            d = Durations.parse(text, fallback);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(field + ": must be longer than 0, got '" + text + "'");
        }
        return d;
    }

    static int within(String field, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": " + value + " is outside " + min + ".." + max);
        }
        return value;
    }
}
