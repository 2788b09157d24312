package io.localmodels.operator.model;

import io.localmodels.operator.api.CircuitBreakerSpec;
import io.localmodels.operator.api.LocalModelSpec;
import io.localmodels.operator.api.ProbeSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Validation of the {@code probe} and {@code circuitBreaker} blocks, with the same field names as the schema. */
public final class HealthSpecChecks {

    static final Set<String> THINK = Set.of("auto", "off", "low", "medium", "high");

    private HealthSpecChecks() {
    }

    public static List<String> problems(LocalModelSpec spec) {
        List<String> problems = new ArrayList<>();
        ProbeSpec probe = spec.getProbe();
        if (probe != null) {
            LocalModelValidation.positiveDuration(problems, "spec.probe.interval", probe.getInterval());
            LocalModelValidation.positiveDuration(problems, "spec.probe.timeout", probe.getTimeout());
            LocalModelValidation.range(problems, "spec.probe.maxTokens", probe.getMaxTokens(), 1, 32768);
            LocalModelValidation.range(problems, "spec.probe.window", probe.getWindow(), 1, 1000);
            if (probe.getPrompt() != null && (probe.getPrompt().isBlank() || probe.getPrompt().length() > 4096)) {
                problems.add("spec.probe.prompt: must be 1 to 4096 characters");
            }
            if (probe.getThink() != null && !THINK.contains(probe.getThink())) {
                String hint = "false".equals(probe.getThink()) || "true".equals(probe.getThink())
                        ? " (YAML reads an unquoted off/on as a boolean: write \"off\")" : "";
                problems.add("spec.probe.think: '" + LocalModelValidation.abbreviate(probe.getThink())
                        + "' is not one of auto, off, low, medium, high" + hint);
            }
        }
        CircuitBreakerSpec cb = spec.getCircuitBreaker();
        if (cb != null) {
            LocalModelValidation.range(problems, "spec.circuitBreaker.failureRateThreshold", cb.getFailureRateThreshold(), 1, 100);
            LocalModelValidation.range(problems, "spec.circuitBreaker.minimumProbes", cb.getMinimumProbes(), 1, 1000);
            LocalModelValidation.range(problems, "spec.circuitBreaker.halfOpenProbes", cb.getHalfOpenProbes(), 1, 100);
            LocalModelValidation.positiveDuration(problems, "spec.circuitBreaker.openDuration", cb.getOpenDuration());
        }
        return problems;
    }
}
