package io.localmodels.operator.model;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.localmodels.operator.api.LocalModel;
import io.localmodels.operator.api.PullStatus;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code localmodels_pull_progress_percent}: how far each model's pull has come, for the "pull stalled" alert. */
public class PullProgressGauge {

    static final String NAME = "localmodels.pull.progress.percent";

    private final MeterRegistry registry;
    private final Map<ResourceID, AtomicInteger> percent = new ConcurrentHashMap<>();
    private final Map<ResourceID, Gauge> gauges = new ConcurrentHashMap<>();

    public PullProgressGauge(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(LocalModel lm, PullStatus pull) {
        if (pull == null || pull.getProgressPercent() == null) {
            return;
        }
        ResourceID id = ResourceID.fromResource(lm);
        AtomicInteger value = percent.computeIfAbsent(id, k -> {
            AtomicInteger v = new AtomicInteger();
            gauges.put(k, Gauge.builder(NAME, v, AtomicInteger::get)
                    .description("Percent of the model's bytes downloaded by the current pull")
                    .tags(Tags.of("namespace", lm.getMetadata().getNamespace(), "name", lm.getMetadata().getName(),
                            "model", lm.getSpec().getModel()))
                    .register(registry));
            return v;
        });
        value.set(pull.getProgressPercent());
    }

    public void remove(LocalModel lm) {
        ResourceID id = ResourceID.fromResource(lm);
        percent.remove(id);
        Gauge gauge = gauges.remove(id);
        if (gauge != null) {
            registry.remove(gauge);
        }
    }
}
