package io.localmodels.operator.health;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.localmodels.operator.api.CircuitState;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The circuit breaker of one model (resilience4j): the failure rate over the last {@code window} probes opens it,
 * and so do {@code minimumProbes} failures in a row — over a long window the rate alone would keep a dead model in
 * routing for half a window of probes. After {@code openDuration} trial probes decide. There is no timer of its own: Open turns HalfOpen when a
 * scheduled probe asks for permission after the open duration, measured on the given clock.
 */
public final class ModelCircuit {

    /** Carries a failed probe into resilience4j, which counts errors as Throwables. */
    private static final class ProbeFailure extends RuntimeException {
        ProbeFailure(ProbeOutcome outcome) {
            super(outcome.name(), null, false, false);
        }
    }

    private final CircuitBreaker breaker;
    private final int failuresInARowToOpen;
    private int failuresInARow;

    /**
     * @param onTransition called on every state change, on the thread that caused it
     */
    public ModelCircuit(String name, CircuitSettings settings, int window, Clock clock,
                        Consumer<CircuitTransition> onTransition) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                // resilience4j never opens when the minimum exceeds a count-based window: cap it at the window
                .slidingWindow(window, Math.min(settings.minimumProbes(), window),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.openDuration())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenProbes())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                // slowness is the timeout's business (a Timeout is a failure); a slow answer is still an answer
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(3650))
                .clock(clock)
                .build();
        this.breaker = CircuitBreaker.of(name, config);
        this.failuresInARowToOpen = Math.min(settings.minimumProbes(), window);
        breaker.getEventPublisher().onStateTransition(event -> onTransition.accept(new CircuitTransition(
                state(event.getStateTransition().getFromState()), state(event.getStateTransition().getToState()))));
    }

    /** Whether a probe may run now; may turn Open into HalfOpen when the open duration has passed. */
    public boolean tryAcquire() {
        return breaker.tryAcquirePermission();
    }

    /** Gives back a permission that was not used for a probe. */
    public void release() {
        breaker.releasePermission();
    }

    public void record(ProbeResult result) {
        record(result.isFailure(), result.latency().toNanos(), result.outcome());
    }

    /**
     * One status period of users' requests that stood in for a probe. A healthy period counts as one success. A
     * failing one (at least {@code minimumRequests}, failing at the threshold rate) counts each failed request, up to
     * the failures in a row that open the circuit: those are calls that failed as surely as a probe would have, and a
     * busy model that breaks must not stay routed for {@code minimumProbes} status periods of failing users.
     */
    public void recordTraffic(boolean failed, long backendFailures) {
        if (!failed) {
            record(false, 0, ProbeOutcome.HttpError);
            return;
        }
        long count = Math.max(1, Math.min(backendFailures, failuresInARowToOpen));
        for (long i = 0; i < count && breaker.getState() == CircuitBreaker.State.CLOSED; i++) {
            record(true, 0, ProbeOutcome.HttpError);
        }
    }

    private void record(boolean failure, long nanos, ProbeOutcome outcome) {
        if (failure) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new ProbeFailure(outcome));
            failuresInARow++;
            if (failuresInARow >= failuresInARowToOpen && breaker.getState() == CircuitBreaker.State.CLOSED) {
                breaker.transitionToOpenState();
            }
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            failuresInARow = 0;
        }
    }

    public CircuitState state() {
        return state(breaker.getState());
    }

    /** Failure rate in percent over the current window, or -1 while below the minimum number of probes. */
    public float failureRate() {
        return breaker.getMetrics().getFailureRate();
    }

    private static CircuitState state(CircuitBreaker.State state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> CircuitState.OPEN;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
            default -> CircuitState.CLOSED;
        };
    }
}
