package io.localmodels.operator.testing;

import io.fabric8.kubernetes.api.model.Condition;
import io.localmodels.operator.api.LocalModel;

import java.util.List;

/** Finds one condition in a status, failing with the whole list when it is missing. */
public final class StatusConditions {

    private StatusConditions() {
    }

    public static Condition condition(List<Condition> conditions, String type) {
        if (conditions == null) {
            throw new AssertionError("no conditions yet, looking for " + type);
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + conditions));
    }

    public static Condition condition(LocalModel lm, String type) {
        if (lm.getStatus() == null) {
            throw new AssertionError("no status yet on " + lm.getMetadata().getName());
        }
        return condition(lm.getStatus().getConditions(), type);
    }
}
