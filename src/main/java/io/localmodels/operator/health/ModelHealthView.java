package io.localmodels.operator.health;

import io.localmodels.operator.api.HealthStatus;
import io.localmodels.operator.config.Durations;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One replica of a model as the monitor sees it now, for {@code /debug/models}.
 *
 * @param replica    the pod's name, or "server" for an external server
 * @param think      what the probe sends as {@code think}: "false", a level, "-" for nothing, "?" before the capability look-up
 * @param published  false until the first probe result was published
 * @param circuit    the breaker's state now (may be ahead of the published one)
 * @param lastProbeTime when this replica's last probe ended, now (status may say an older one: it is written for news)
 * @param health     the last published health, null before the first publish
 * @param window     the probes in the replica's window now, oldest first (latency and whether each failed)
 */
public record ModelHealthView(String namespace, String name, String replica, String endpoint, String model, String interval,
                              String think, boolean probing, boolean published, String circuit, boolean healthy,
                              String reason, String message, String lastPublishTime, String lastProbeTime,
                              HealthStatus health, List<HealthWindow.Point> window) {

    static ModelHealthView of(ModelProbe probe, ProbeRunner runner) {
        PublishedHealth p = probe.published();
        ModelProbe.Resolved t = probe.target;
        String think = ThinkChoice.explicit(t.probe().think()).map(String::valueOf)
                .or(() -> runner.cachedThink(probe.client.baseUrl(), t.model()))
                .orElse("?");
        Instant at = probe.lastPublishTime();
        Instant probed = probe.lastActivity();
        return new ModelHealthView(probe.id.getNamespace().orElse(""), probe.id.getName(), probe.replica, t.endpoint(), t.model(),
                Durations.format(t.probe().interval()), think, probe.inFlight, p != null, probe.circuit.state().value(),
                p != null && p.healthy(), p == null ? "NoProbeYet" : p.reason(), p == null ? "" : p.message(),
                seconds(at), seconds(probed), p == null ? null : p.health(), probe.recent());
    }

    private static String seconds(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
