package io.localmodels.operator.ops;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** One gauge per resource, tagged with its namespace and name; removed with the resource. */
public final class ResourceGauge {

    private record Meter(Gauge gauge, Tags tags, AtomicReference<Double> value) {
    }

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final Map<ResourceID, Meter> meters = new ConcurrentHashMap<>();

    public ResourceGauge(MeterRegistry registry, String name, String description) {
        this.registry = registry;
        this.name = name;
        this.description = description;
    }

    /** Sets the resource's value; a change of {@code extra} tags (say, the model) replaces its series. */
    public void set(HasMetadata resource, Tags extra, double value) {
        Tags tags = Tags.of("namespace", resource.getMetadata().getNamespace(), "name", resource.getMetadata().getName())
                .and(extra);
        Meter meter = meters.compute(ResourceID.fromResource(resource), (id, old) -> {
            if (old != null && old.tags().equals(tags)) {
                return old;
            }
            if (old != null) {
                registry.remove(old.gauge());
            }
            AtomicReference<Double> holder = new AtomicReference<>(value);
            Gauge gauge = Gauge.builder(name, holder, AtomicReference::get).description(description).tags(tags)
                    .register(registry);
            return new Meter(gauge, tags, holder);
        });
        meter.value().set(value);
    }

    public void remove(HasMetadata resource) {
        Meter meter = meters.remove(ResourceID.fromResource(resource));
        if (meter != null) {
            registry.remove(meter.gauge());
        }
    }
}
