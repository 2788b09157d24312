package io.localmodels.operator.config;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Operator-wide settings: defaults for what a resource leaves out, and the operator's own pacing.
 *
 * @param namespaces     namespaces to watch; empty means all
 * @param ollamaImage    Ollama image when a LocalModel names none (the :rocm variant is derived for AMD)
 * @param liteLlmImage   LiteLLM image when a ModelRouter names none
 * @param statusPeriod   at most one probe-driven status write per model per period (transitions are immediate);
 *                       also how often a model with missing or unscheduled pods reads the controllers' Events again
 * @param pullProgressPeriod at most one pull-progress status write per model per period
 * @param probeConcurrency probes in flight at once, over all models (loads have lanes of their own: {@link #loadConcurrency})
 * @param routerRolloutInterval at most one proxy rollout per router per interval (damps flapping)
 * @param clock          time source, so tests control it
 * @param shard          the LocalModels and ModelRouters this operator manages ({@link Shard#ALL}: every one)
 */
public record OperatorConfig(Set<String> namespaces, String ollamaImage, String liteLlmImage, Duration statusPeriod,
                             Duration pullProgressPeriod, int probeConcurrency, Duration routerRolloutInterval,
                             Clock clock, Shard shard) {

    public static final String DEFAULT_OLLAMA_IMAGE = "ollama/ollama:0.12.6";
    /** The LiteLLM release the proxy runs by default; the rendered config and validation follow its source. */
    public static final String LITELLM_VERSION = "1.80.11";
    /** A tag the registry lists (with per-platform digests); see docs/installing.md for the evidence. */
    public static final String DEFAULT_LITELLM_IMAGE = "ghcr.io/berriai/litellm:v" + LITELLM_VERSION + "-stable.1";

    public static OperatorConfig defaults() {
        return new OperatorConfig(Set.of(), DEFAULT_OLLAMA_IMAGE, DEFAULT_LITELLM_IMAGE, Duration.ofSeconds(30),
                Duration.ofSeconds(5), 64, Duration.ofSeconds(30), Clock.systemUTC(), Shard.ALL);
    }

    /**
     * Model loads in flight at once, apart from the probe slots: each waits seconds to minutes on a server of its
     * own and costs the operator one waiting thread, so more of them may wait than probes run.
     */
    public int loadConcurrency() {
        return probeConcurrency * 4;
    }

    public OperatorConfig withStatusPeriod(Duration period) {
        return new OperatorConfig(namespaces, ollamaImage, liteLlmImage, period, pullProgressPeriod, probeConcurrency,
                routerRolloutInterval, clock, shard);
    }

    public OperatorConfig withPullProgressPeriod(Duration period) {
        return new OperatorConfig(namespaces, ollamaImage, liteLlmImage, statusPeriod, period, probeConcurrency,
                routerRolloutInterval, clock, shard);
    }

    public OperatorConfig withRouterRolloutInterval(Duration interval) {
        return new OperatorConfig(namespaces, ollamaImage, liteLlmImage, statusPeriod, pullProgressPeriod,
                probeConcurrency, interval, clock, shard);
    }

    public OperatorConfig withNamespaces(Set<String> watched) {
        return new OperatorConfig(watched, ollamaImage, liteLlmImage, statusPeriod, pullProgressPeriod,
                probeConcurrency, routerRolloutInterval, clock, shard);
    }

    public OperatorConfig withImages(String ollama, String liteLlm) {
        return new OperatorConfig(namespaces, ollama, liteLlm, statusPeriod, pullProgressPeriod, probeConcurrency,
                routerRolloutInterval, clock, shard);
    }

    public OperatorConfig withProbeConcurrency(int inFlight) {
        return new OperatorConfig(namespaces, ollamaImage, liteLlmImage, statusPeriod, pullProgressPeriod, inFlight,
                routerRolloutInterval, clock, shard);
    }

    public OperatorConfig withClock(Clock time) {
        return new OperatorConfig(namespaces, ollamaImage, liteLlmImage, statusPeriod, pullProgressPeriod,
                probeConcurrency, routerRolloutInterval, time, shard);
    }

    public OperatorConfig withShard(Shard managed) {
        return new OperatorConfig(namespaces, ollamaImage, liteLlmImage, statusPeriod, pullProgressPeriod,
                probeConcurrency, routerRolloutInterval, clock, managed);
    }
}
