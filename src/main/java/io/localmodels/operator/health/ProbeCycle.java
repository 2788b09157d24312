package io.localmodels.operator.health;

import io.localmodels.operator.ollama.PsResponse;

import java.time.Duration;
import java.util.Optional;

/**
 * What one probe cycle of a model on one Ollama server found: whether the model was in memory before it began
 * ({@code /api/ps}), the load it had to do first, if any, and the classified probe.
 *
 * @param inMemory the model's {@code /api/ps} entry before the probe (after the load, when the cycle loaded it); empty
 *                 when not listed or ps did not answer
 * @param psAnswered whether {@code /api/ps} answered at all (an old or unreachable server does not)
 * @param load     the warm-up this cycle ran because the model was not in memory
 * @param probe    the probe's result; for a failed load, that failure
 */
public record ProbeCycle(Optional<PsResponse.Model> inMemory, boolean psAnswered, Optional<Load> load, ProbeResult probe) {

    /**
     * A warm-up load: how long it took and, when it failed or outlasted {@code spec.probe.loadTimeout}, why.
     *
     * @param error   empty when the model loaded
     * @param outcome how a failed load reads as a probe result (Timeout, ConnectionError, HttpError, …)
     */
    public record Load(Duration took, String error, ProbeOutcome outcome) {
        public boolean succeeded() {
            return error.isEmpty();
        }
    }

    /** The share of the model in VRAM, 0..1, from /api/ps; empty when unknown. */
    public Optional<Double> vramShare() {
        return inMemory.map(PsResponse.Model::vramShare);
    }
}
