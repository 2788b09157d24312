package io.localmodels.operator.health;

import io.localmodels.operator.api.ProbeSpec;
import io.localmodels.operator.config.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code spec.probe} with defaults applied and values checked. A value record, so two resolutions of the same
 * spec are equal and {@code HealthMonitor.track} can tell "unchanged" from "changed".
 *
 * @param think       auto, off, low, medium or high (lower case)
 * @param loadTimeout how long a warm-up load may take (never the probe timeout: Ollama aborts a load whose caller left)
 * @param busyGrace   how long timeouts of a loaded model on a live server count as Busy, not as failures
 * @param method      auto, chat or embed (lower case)
 */
public record ProbeSettings(Duration interval, Duration timeout, String prompt, int maxTokens, String think,
                            int window, Duration loadTimeout, Duration busyGrace, String method) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final String DEFAULT_PROMPT = "Reply with the single word OK.";
    public static final int DEFAULT_MAX_TOKENS = 64;
    public static final String AUTO = "auto";
    public static final String OFF = "off";
    public static final List<String> THINK_MODES = List.of(AUTO, OFF, "low", "medium", "high");
    public static final int DEFAULT_WINDOW = 20;
    public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_BUSY_GRACE = Duration.ofMinutes(5);
    public static final String CHAT = "chat";
    public static final String EMBED = "embed";
    public static final List<String> METHODS = List.of(AUTO, CHAT, EMBED);
    static final int MAX_WINDOW = 1000;
    static final int MAX_TOKENS = 32768;
    static final int MAX_PROMPT = 4096;

    public static ProbeSettings defaults() {
        return from(null);
    }

    /**
     * Resolves a spec (null means all defaults).
     *
     * @throws IllegalArgumentException naming the field of the first problem, e.g. {@code spec.probe.interval: ...}
     */
    public static ProbeSettings from(ProbeSpec spec) {
        List<String> problems = new ArrayList<>();
        ProbeSettings settings = resolve(spec, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        return settings;
    }

    /** Every problem of a spec, each naming its field: what validation reports before anything is probed. */
    public static List<String> problems(ProbeSpec spec) {
        List<String> problems = new ArrayList<>();
        resolve(spec, problems);
        return problems;
    }

    /** The one place each probe rule lives; a bad value is reported and replaced by its default. */
    private static ProbeSettings resolve(ProbeSpec spec, List<String> problems) {
        ProbeSpec s = spec == null ? new ProbeSpec() : spec;
        Duration interval = positive(problems, "spec.probe.interval", s.getInterval(), DEFAULT_INTERVAL);
        Duration timeout = positive(problems, "spec.probe.timeout", s.getTimeout(), DEFAULT_TIMEOUT);
        String prompt = s.getPrompt() == null ? DEFAULT_PROMPT : s.getPrompt();
        if (prompt.isBlank()) {
            problems.add("spec.probe.prompt: must not be blank");
        } else if (prompt.length() > MAX_PROMPT) {
            problems.add("spec.probe.prompt: must be 1 to " + MAX_PROMPT + " characters");
        }
        int maxTokens = within(problems, "spec.probe.maxTokens", s.getMaxTokens(), DEFAULT_MAX_TOKENS, 1, MAX_TOKENS);
        String think = AUTO;
        try {
            think = think("spec.probe.think", s.getThink());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        int window = within(problems, "spec.probe.window", s.getWindow(), DEFAULT_WINDOW, 1, MAX_WINDOW);
        Duration loadTimeout = positive(problems, "spec.probe.loadTimeout", s.getLoadTimeout(), DEFAULT_LOAD_TIMEOUT);
        Duration busyGrace = positive(problems, "spec.probe.busyGrace", s.getBusyGrace(), DEFAULT_BUSY_GRACE);
        String method = s.getMethod() == null ? AUTO : s.getMethod().trim().toLowerCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            problems.add("spec.probe.method: '" + abbreviate(s.getMethod()) + "' is not one of " + String.join(", ", METHODS));
            method = AUTO;
        }
        return new ProbeSettings(interval, timeout, prompt, maxTokens, think, window, loadTimeout, busyGrace, method);
    }

    /** Checks a think mode given by a user; null means auto. */
    public static String think(String field, String value) {
        if (value == null) {
            return AUTO;
        }
        String mode = value.trim().toLowerCase(Locale.ROOT);
        if (!THINK_MODES.contains(mode)) {
            String hint = "false".equals(mode) || "true".equals(mode)
                    ? " (YAML reads an unquoted off/on as a boolean: write \"off\")" : "";
            throw new IllegalArgumentException(field + ": '" + abbreviate(value) + "' is not one of "
                    + String.join(", ", THINK_MODES) + hint);
        }
        return mode;
    }

    /** A duration longer than zero, or {@code fallback} when absent; a bad one is reported. */
    static Duration positive(List<String> problems, String field, String text, Duration fallback) {
        Duration d;
        try {
            d = Durations.parse(text, fallback);
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
            return fallback;
        }
        if (d.isZero() || d.isNegative()) {
            problems.add(field + ": must be longer than 0, got '" + text + "'");
            return fallback;
        }
        return d;
    }

    /** An integer in {@code min..max}, or {@code fallback} when absent; a bad one is reported. */
    static int within(List<String> problems, String field, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            problems.add(field + ": " + value + " is outside " + min + ".." + max);
            return fallback;
        }
        return value;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…(" + s.length() + " characters)";
    }
}
