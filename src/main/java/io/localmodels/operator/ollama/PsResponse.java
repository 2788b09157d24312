package io.localmodels.operator.ollama;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** GET /api/ps: models loaded in memory. */
public record PsResponse(List<Model> models) {

    /**
     * A loaded model ({@code api.ProcessModelResponse}); {@code sizeVram < size} means it is partly on the CPU.
     * {@code expiresAt} is RFC 3339 as Go writes it; Ollama lists a model already while it is loading.
     */
    public record Model(String name, String model, Long size, @JsonProperty("size_vram") Long sizeVram,
                        @JsonProperty("expires_at") String expiresAt,
                        @JsonProperty("context_length") Integer contextLength) {

        /** The share of the model in VRAM, 0..1, or null when Ollama reported no size. */
        public Double vramShare() {
            return size == null || size <= 0 || sizeVram == null ? null : (double) sizeVram / size;
        }

        /** When the keep-alive unloads it, or null when absent or unreadable. */
        public Instant expiry() {
            try {
                return expiresAt == null ? null : OffsetDateTime.parse(expiresAt).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }
}
