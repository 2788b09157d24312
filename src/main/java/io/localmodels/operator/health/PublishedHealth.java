package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.HealthStatus;

/**
 * What the Healthy condition and {@code status.health} should say about one model.
 *
 * @param health  fully filled {@code status.health} (a fresh object per publish: callers may keep it)
 * @param reason  condition reason: ProbesSucceeding, ThinkingBudgetExhausted, ProbesFailing, CircuitOpen, CircuitHalfOpen
 */
public record PublishedHealth(HealthStatus health, CircuitState circuit, boolean healthy, String reason,
                              String message) {
}
