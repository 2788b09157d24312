package io.localmodels.operator.health;

import io.localmodels.operator.api.TrafficStatus;

import java.time.Instant;

/**
 * What a model's users' requests through its ModelRouters showed over one status period: the input the health
 * monitor consults before it probes.
 *
 * @param sequence        grows with every reading, so that one period counts once in a circuit
 * @param observedAt      when the proxies were read
 * @param stale           a proxy could not be read: the figures are old and must not decide anything
 * @param successes       successful requests in the period
 * @param backendFailures failures the model caused (timeouts, 5xx, no answer); client errors are not among them
 * @param figures         what {@code status.health.traffic} shows
 */
public record TrafficEvidence(long sequence, Instant observedAt, boolean stale, long successes, long backendFailures,
                              TrafficStatus figures) {

    /** Requests that speak for or against the model. */
    public long judged() {
        return successes + backendFailures;
    }
}
