package io.localmodels.operator.ollama;

/** One NDJSON line of /api/pull progress; {@code total}/{@code completed} only on layer lines. */
public record PullLine(String status, String digest, Long total, Long completed, String error) {

    public boolean isSuccess() {
        return "success".equals(status);
    }
}
