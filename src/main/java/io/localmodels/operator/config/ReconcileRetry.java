package io.localmodels.operator.config;

/**
 * How both reconcilers retry a failed reconcile. JOSDK gives up after 5 retries (about 20 s of 409s or timeouts)
 * and then waits for the next event, which for a quiet resource may be hours away: they keep retrying, backing off
 * to once a minute, so an API server outage loses nothing.
 */
public final class ReconcileRetry {

    /** Unlimited attempts. */
    public static final int MAX_ATTEMPTS = -1;
    public static final long MAX_INTERVAL_MS = 60_000;

    private ReconcileRetry() {
    }
}
