package io.localmodels.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.localmodels.operator.kube.DesiredObjectWriter;
import io.localmodels.operator.api.LocalModel;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which LocalModels' StatefulSet and Service were last found as desired, and from what: building and hashing the
 * desired StatefulSet was about 30 % of the operator's CPU at N = 10 000, on every reconcile of every model, though
 * it depends only on the LocalModel's spec (its generation), its identity and the operator's settings (fixed for
 * the process), and on the live objects: their immutable fields, which are kept (the same for one object, by uid),
 * and the desired-hash annotation, which is all an apply compares. So a live object recreated (new uid) or whose
 * annotation changed builds again; a status write (the StatefulSet controller's readyReplicas, each a new resource
 * version) does not: keyed by resource version, every such write rebuilt the StatefulSet, about a fifth of the
 * reconcilers' CPU in a bring-up of N = 1000.
 */
final class AppliedWorkloads {

    private record Live(String uid, String desiredHash) {
        static Live of(HasMetadata o) {
            var annotations = o.getMetadata().getAnnotations();
            return new Live(o.getMetadata().getUid(),
                    annotations == null ? null : annotations.get(DesiredObjectWriter.DESIRED_HASH));
        }
    }

    private record Inputs(String uid, Long generation, Live statefulSet, Live service) {
    }

    private final Map<ResourceID, Inputs> upToDate = new ConcurrentHashMap<>();

    /** Whether {@code lm}'s workload was found or made as desired from these very inputs. */
    boolean current(ResourceID id, LocalModel lm, HasMetadata statefulSet, HasMetadata service) {
        return statefulSet != null && service != null && Objects.equals(upToDate.get(id), inputs(lm, statefulSet, service));
    }

    /** After an apply: the objects now in the cluster (as found, or as written) are as desired for {@code lm}. */
    void applied(ResourceID id, LocalModel lm, HasMetadata statefulSet, HasMetadata service) {
        if (statefulSet == null || service == null) {
            upToDate.remove(id);
        } else {
            upToDate.put(id, inputs(lm, statefulSet, service));
        }
    }

    void forget(ResourceID id) {
        upToDate.remove(id);
    }

    private static Inputs inputs(LocalModel lm, HasMetadata statefulSet, HasMetadata service) {
        return new Inputs(lm.getMetadata().getUid(), lm.getMetadata().getGeneration(), Live.of(statefulSet),
                Live.of(service));
    }
}
