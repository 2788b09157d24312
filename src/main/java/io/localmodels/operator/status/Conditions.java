package io.localmodels.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds condition lists the Kubernetes way: one entry per type, {@code lastTransitionTime} kept while the status
 * stays the same, {@code observedGeneration} on each.
 */
public final class Conditions {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private final List<Condition> previous;
    private final List<Condition> next = new ArrayList<>();
    private final long generation;
    private final Clock clock;

    /** Starts from the conditions currently in status (may be null). */
    public Conditions(List<Condition> previous, long generation, Clock clock) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
        this.clock = clock;
    }

    public Conditions set(String type, boolean status, String reason, String message) {
        return set(type, status ? TRUE : FALSE, reason, message);
    }

    /** Adds or replaces the condition of {@code type}. */
    public Conditions set(String type, String status, String reason, String message) {
        next.removeIf(c -> c.getType().equals(type));
        String since = find(previous, type)
                .filter(old -> status.equals(old.getStatus()) && old.getLastTransitionTime() != null)
                .map(Condition::getLastTransitionTime)
                .orElseGet(this::now);
        next.add(new ConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message == null ? "" : message).withLastTransitionTime(since)
                .withObservedGeneration(generation).build());
        return this;
    }

    /** Carries a condition over unchanged from the previous list, if it was there. */
    public Conditions keep(String type) {
        find(previous, type).ifPresent(c -> {
            next.removeIf(n -> n.getType().equals(type));
            next.add(c);
        });
        return this;
    }

    /** Whether the previous list had {@code type} with {@code status}, written for this generation. */
    public boolean had(String type, String status) {
        return find(previous, type).filter(c -> status.equals(c.getStatus())
                && Long.valueOf(generation).equals(c.getObservedGeneration())).isPresent();
    }

    public List<Condition> build() {
        return List.copyOf(next);
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
