package io.localmodels.operator.health;

import java.time.Instant;

/**
 * What the probe cycles saw of a model's life in the server's memory, for {@code status.model} and the Loading phase.
 *
 * @param loadingSince    when the load now under way began; null when none is
 * @param lastLoadSeconds how long the last completed load took; null before one
 * @param reloads         how often the model was found unloaded behind the operator's back and loaded again
 * @param vramShare       share of the loaded model in VRAM (0..1) from {@code /api/ps}; null when unknown
 * @param vramBytes       its bytes in VRAM from the same listing; null when unknown
 * @param contextLength   the context its runner uses, from the same listing; null when unknown
 */
public record ModelMemory(Instant loadingSince, Double lastLoadSeconds, int reloads, Double vramShare, Long vramBytes,
                          Integer contextLength) {

    static final ModelMemory UNKNOWN = new ModelMemory(null, null, 0, null, null, null);

    public boolean loading() {
        return loadingSince != null;
    }

    /** Percent in VRAM, rounded down so that 99.6 % is not shown as fully on the GPU. */
    public Integer vramPercent() {
        return vramShare == null ? null : (int) Math.floor(Math.min(1.0, vramShare) * 100);
    }
}
