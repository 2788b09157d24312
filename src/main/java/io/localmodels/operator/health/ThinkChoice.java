package io.localmodels.operator.health;

import io.localmodels.operator.ollama.ShowResponse;

import java.util.Optional;

/**
 * What the probe sends as Ollama's {@code think}: {@code false}, a level string, or nothing at all (null).
 * Sending {@code think} to a model without the thinking capability is a 400, so "auto" leaves it out there.
 */
public final class ThinkChoice {

    private ThinkChoice() {
    }

    /**
     * The value an explicit mode sends, or empty for auto. An explicit level is sent even to a model without the
     * thinking capability: the user asked for it, and Ollama's 400 then shows up as an HttpError.
     */
    public static Optional<Object> explicit(String mode) {
        return switch (mode) {
            case ProbeSettings.AUTO -> Optional.empty();
            case ProbeSettings.OFF -> Optional.of(Boolean.FALSE);
            default -> Optional.of(mode);
        };
    }

    /**
     * The automatic choice from {@code /api/show}: gpt-oss only understands levels and cannot stop thinking, so it
     * gets "low" (the cheapest level); other thinking models get {@code false}; models that cannot think get nothing
     * ({@code false} would be accepted too at 0.12.6 — only truthy values are refused — but nothing is simpler).
     */
    public static Object fromCapabilities(ShowResponse show) {
        if (show == null || !show.canThink()) {
            return null;
        }
        return isGptOss(show) ? "low" : Boolean.FALSE;
    }

    /**
     * gpt-oss by its family, as Ollama itself decides it ({@code details.family == "gptoss"}, the harmony
     * format): a name says nothing about a renamed or imported copy.
     */
    static boolean isGptOss(ShowResponse show) {
        return "gptoss".equals(show.family());
    }
}
