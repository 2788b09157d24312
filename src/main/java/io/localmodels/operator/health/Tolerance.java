package io.localmodels.operator.health;

import java.util.Objects;

/**
 * When a figure in status has moved enough to be written again: by more than a share of the published value and
 * more than a floor. Compared with the published value, not the last seen one, so that a slow drift is written once
 * it adds up.
 */
public final class Tolerance {

    private Tolerance() {
    }

    /** Null on one side only is a move; two nulls are not. */
    public static boolean moved(Long published, Long next, long floor, double share) {
        if (published == null || next == null) {
            return !Objects.equals(published, next);
        }
        long by = Math.abs(next - published);
        return by > floor && by > published * share;
    }
}
