package io.localmodels.operator.health;

import io.localmodels.operator.api.HealthStatus;

/**
 * One model as the monitor sees it now, for {@code /debug/models}.
 *
 * @param think      what the probe sends as {@code think}: "false", a level, "-" for nothing, "?" before the capability look-up
 * @param published  false until the first probe result was published
 * @param circuit    the breaker's state now (may be ahead of the published one)
 * @param health     the last published health, null before the first publish
 */
public record ModelHealthView(String namespace, String name, String endpoint, String model, String interval,
                              String think, boolean probing, boolean published, String circuit, boolean healthy,
                              String reason, String message, String lastPublishTime, HealthStatus health) {
}
