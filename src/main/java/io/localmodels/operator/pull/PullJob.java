package io.localmodels.operator.pull;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One model on one Ollama server: its state, the owners waiting for it, and at most one attempt in flight. The
 * monitor guards everything but the HTTP call, which is kept so that dropping the job can cut a pull that blocks
 * in a socket read.
 */
final class PullJob {

    final PullKey key;
    final String model;
    private final OkHttpClient shared;

    private final Set<ResourceID> owners = new LinkedHashSet<>();
    private PullState state;
    private int failures;
    private boolean running;
    private boolean dropped;
    private volatile Call activeCall;

    PullJob(PullKey key, String model, OkHttpClient shared) {
        this.key = key;
        this.model = model;
        this.shared = shared;
    }

    /**
     * A client for one attempt: the shared pool and dispatcher, and an interceptor that remembers the call so that
     * it can be cancelled. Made per attempt, not kept: a job stays as long as its model, long after its pull.
     */
    OkHttpClient client() {
        return shared.newBuilder().addInterceptor(this::track).build();
    }

    /** False when the job was dropped meanwhile: the caller must make a new one. */
    synchronized boolean addOwner(ResourceID owner) {
        if (dropped) {
            return false;
        }
        owners.add(owner);
        return true;
    }

    /** Removes the owner; when none is left the job is dropped and its call cut. True when that happened. */
    boolean removeOwner(ResourceID owner) {
        synchronized (this) {
            if (dropped || !owners.remove(owner) || !owners.isEmpty()) {
                return false;
            }
            dropped = true;
        }
        cancelCall();
        return true;
    }

    void drop() {
        synchronized (this) {
            dropped = true;
            owners.clear();
        }
        cancelCall();
    }

    synchronized boolean isDropped() {
        return dropped;
    }

    synchronized PullState state() {
        return state;
    }

    /**
     * Claims the next attempt: the first one, or a retry once the failed one's retry time has come. Never while an
     * attempt runs, so there is one pull per endpoint and model.
     */
    synchronized boolean claimAttempt(Instant now) {
        if (dropped || running) {
            return false;
        }
        boolean due = state == null || state instanceof PullState.Failed failed && !now.isBefore(failed.retryAt());
        if (due) {
            running = true;
            state = new PullState.Checking();
        }
        return due;
    }

    /** An attempt could not even start (the executor is shut): let a later call claim again. */
    synchronized void unclaim() {
        running = false;
        state = null;
    }

    /** Progress of the running attempt; returns the owners to tell (none once dropped). */
    synchronized List<ResourceID> progressed(PullState.Pulling progress) {
        if (dropped) {
            return List.of();
        }
        state = progress;
        return List.copyOf(owners);
    }

    synchronized List<ResourceID> succeeded(PullState.Present present) {
        running = false;
        failures = 0;
        if (dropped) {
            return List.of();
        }
        state = present;
        return List.copyOf(owners);
    }

    synchronized List<ResourceID> failed(String message, boolean serverAnswered, Instant now, RetryBackoff backoff) {
        running = false;
        failures++;
        if (dropped) {
            return List.of();
        }
        state = new PullState.Failed(message, failures, now.plus(backoff.delayAfter(failures)), serverAnswered);
        return List.copyOf(owners);
    }

    private Response track(Interceptor.Chain chain) throws IOException {
        activeCall = chain.call();
        if (isDropped()) {
            chain.call().cancel();
        }
        return chain.proceed(chain.request());
    }

    /** The attempt is over: its last call (and through it the attempt's client) is not kept. */
    void attemptEnded() {
        activeCall = null;
    }

    private void cancelCall() {
        Call call = activeCall;
        if (call != null) {
            call.cancel();
        }
    }

    /** Jobs are keyed by server and {@link io.localmodels.operator.ollama.ModelName#key}: every spelling of a model shares one pull. */
    record PullKey(String endpoint, String model) {
    }
}
