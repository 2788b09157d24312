package io.localmodels.operator.pull;

import java.time.Instant;

/** Where one model stands on one Ollama server, as the puller last saw it. */
public sealed interface PullState {

    /** The first {@code /api/tags} call of an attempt is in flight. */
    record Checking() implements PullState {
    }

    /** A pull is streaming; {@code percent} is over the layers seen so far, {@code message} the last status line. */
    record Pulling(int percent, long completedBytes, long totalBytes, String message) implements PullState {
    }

    /** The model is on the server's disk. */
    record Present(String digest, long sizeBytes) implements PullState {
    }

    /**
     * The last attempt failed; the next {@code ensurePulled} at or after {@code retryAt} tries again.
     * {@code serverAnswered} tells an Ollama error (the server is there) from a server that could not be reached.
     */
    record Failed(String message, int attempts, Instant retryAt, boolean serverAnswered) implements PullState {
    }
}
