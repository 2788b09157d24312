package io.localmodels.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;

import java.util.Set;

/**
 * Lets work that runs outside reconciles (pull progress, published health) ask for a reconcile of one resource.
 * The reconcile then writes status: one writer of status, one code path.
 */
public class ReconcileTrigger<P extends HasMetadata> extends AbstractEventSource<Void, P> {

    public ReconcileTrigger(String name) {
        super(Void.class, name);
    }

    /** Queues a reconcile; before the operator has started, there is nothing to reconcile yet. */
    public void trigger(ResourceID id) {
        if (isRunning() && getEventHandler() != null) {
            getEventHandler().handleEvent(new Event(id));
        }
    }

    @Override
    public Set<Void> getSecondaryResources(P primary) {
        return Set.of();
    }
}
