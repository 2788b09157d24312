package io.localmodels.operator.pull;

import io.localmodels.operator.ollama.PullLine;

import java.util.HashMap;
import java.util.Map;

/**
 * Folds the NDJSON lines of one {@code /api/pull} stream into a {@link PullState.Pulling}: bytes are summed over the
 * layer digests seen so far, because Ollama announces layers one after the other and repeats each one's totals.
 * Used by one pull thread only.
 */
final class PullProgress {

    private final Map<String, Long> totals = new HashMap<>();
    private final Map<String, Long> completed = new HashMap<>();
    private String message;

    PullProgress(String initialMessage) {
        this.message = initialMessage;
    }

    PullState.Pulling accept(PullLine line) {
        if (line.digest() != null) {
            if (line.total() != null) {
                totals.put(line.digest(), line.total());
            }
            // `completed` is missing until the first bytes of a layer arrive: keep what we had (or 0)
            if (line.completed() != null) {
                completed.put(line.digest(), line.completed());
            } else {
                completed.putIfAbsent(line.digest(), 0L);
            }
        }
        if (line.status() != null && !line.status().isBlank()) {
            message = line.status();
        }
        return current();
    }

    PullState.Pulling current() {
        long total = totals.values().stream().mapToLong(Long::longValue).sum();
        long done = completed.values().stream().mapToLong(Long::longValue).sum();
        int percent = total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
        return new PullState.Pulling(percent, done, total, message);
    }
}
