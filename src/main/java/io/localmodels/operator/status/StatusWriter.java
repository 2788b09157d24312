package io.localmodels.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a custom resource's status only when it changed, and no sooner than its {@link Pacing} allows: a change that
 * must wait is held, and the reconcile comes back when it is due and writes whatever the status is then (level-based:
 * nothing is lost, and a change undone meanwhile is never written). The write replaces the whole status (so fields
 * that went away go away) under the resource version the reconcile saw; a conflict fails the reconcile and JOSDK
 * retries it on fresh state. What was last written is remembered, because the informer cache can lag behind our
 * own write.
 */
public class StatusWriter<R extends CustomResource<?, S>, S> {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    /** A status change that comes within this long of the first is written with it, once. */
    public static final Duration COALESCE = Duration.ofSeconds(1);

    /** When a changed status may be written. */
    @FunctionalInterface
    public interface Pacing<S> {
        /**
         * @param before  the status now in the resource, as last written or as read (null when none)
         * @param after   the status to write
         * @param pending when a change was first held unwritten (now, for a change just seen)
         * @param last    when this writer last wrote this resource's status, if it did
         * @return the earliest time the write may happen
         */
        Instant writeAt(S before, S after, Instant pending, Optional<Instant> last);

        /** A change waits {@link #COALESCE} for the ones that follow it, then all of them are written at once. */
        static <S> Pacing<S> coalesced() {
            return (before, after, pending, last) -> pending.plus(COALESCE);
        }
    }

    /**
     * What a {@link #write} did.
     *
     * @param wrote   true when it wrote the status
     * @param comeBackIn when a change is held: reconcile again after this long, when it is due
     */
    public record Outcome(boolean wrote, Optional<Duration> comeBackIn) {

        static final Outcome UNCHANGED = new Outcome(false, Optional.empty());
        static final Outcome WRITTEN = new Outcome(true, Optional.empty());
    }

    /** Called after a write with the status before and after, e.g. to record an Event on a phase change. */
    @FunctionalInterface
    public interface Transition<R, S> {
        void changed(EventRecorder events, R resource, S before, S after);
    }

    /**
     * Our last write of one resource's status: its JSON text (a snapshot: the status object can share parts with
     * later renders) only until the cache shows that write, which is nearly always a moment later; then only when it
     * was. A JSON tree and the status object of every resource were a large share of the operator's memory per model,
     * and so was the text.
     *
     * @param text            the status written, while the cache may not show it yet; null once it does
     * @param resourceVersion the resource's version our write made: the cache shows our write when it has this one
     */
    private record Written(String text, String resourceVersion, Class<?> type, Instant at) {
        JsonNode json() {
            return JSON.unmarshal(text, JsonNode.class);
        }

        Object status() {
            return JSON.unmarshal(text, type);
        }

        Written seen() {
            return new Written(null, null, type, at);
        }
    }

    private final Map<ResourceID, Written> lastWritten = new ConcurrentHashMap<>();
    private final Map<ResourceID, Instant> pendingSince = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Pacing<S> pacing;

    public StatusWriter(Clock clock, Pacing<S> pacing) {
        this.clock = clock;
        this.pacing = pacing;
    }

    /** Writes {@code status} if it changed and its pacing allows it now; else says when to come back. */
    public Outcome write(KubernetesClient client, R resource, S status, EventRecorder events, Transition<R, S> transition) {
        ResourceID id = ResourceID.fromResource(resource);
        JsonNode next = JSON.convertValue(status, JsonNode.class);
        JsonNode current = resource.getStatus() == null ? null : JSON.convertValue(resource.getStatus(), JsonNode.class);
        // what the API server has, as far as we know: the cache's, unless it does not show our last write yet
        JsonNode server = current;
        Written written = lastWritten.get(id);
        if (written != null && written.text() != null) {
            JsonNode ours = written.json();
            if (resource.getMetadata().getResourceVersion() != null
                    && resource.getMetadata().getResourceVersion().equals(written.resourceVersion()) || ours.equals(current)) {
                written = written.seen();
                lastWritten.put(id, written);
            } else {
                server = ours;
            }
        }
        if (next.equals(server)) {
            pendingSince.remove(id);
            return Outcome.UNCHANGED;
        }
        S before = before(resource, written);
        Instant now = clock.instant();
        Instant pending = pendingSince.computeIfAbsent(id, k -> now);
        Instant due = pacing.writeAt(before, status, pending, Optional.ofNullable(written).map(Written::at));
        if (due.isAfter(now)) {
            return new Outcome(false, Optional.of(Duration.between(now, due)));
        }
        R updated = client.resource(statusOnly(resource, status)).updateStatus();
        String version = updated == null || updated.getMetadata() == null ? null : updated.getMetadata().getResourceVersion();
        lastWritten.put(id, new Written(JSON.asJson(next), version, status.getClass(), now));
        pendingSince.remove(id);
        transition.changed(events, resource, before, status);
        return Outcome.WRITTEN;
    }

    /**
     * The body of a status write: the API server takes only {@code status} from it (and checks the resource version
     * and uid it names), so the rest of the resource is not copied or sent.
     */
    private static <R extends CustomResource<?, S>, S> R statusOnly(R resource, S status) {
        R body;
        try {
            @SuppressWarnings("unchecked")
            R fresh = (R) resource.getClass().getDeclaredConstructor().newInstance();
            body = fresh;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + resource.getClass().getSimpleName() + " to write status", e);
        }
        ObjectMeta meta = resource.getMetadata();
        body.setMetadata(new ObjectMetaBuilder().withName(meta.getName()).withNamespace(meta.getNamespace())
                .withUid(meta.getUid()).withResourceVersion(meta.getResourceVersion()).build());
        body.setStatus(status);
        return body;
    }

    /**
     * What the status said before this write: our last write (the cache can lag behind it, and we are the only
     * writer of status), else what the cache holds, e.g. after a restart.
     */
    @SuppressWarnings("unchecked")
    private static <R extends CustomResource<?, S>, S> S before(R resource, Written written) {
        return written != null && written.text() != null ? (S) written.status() : resource.getStatus();
    }

    public void forget(R resource) {
        ResourceID id = ResourceID.fromResource(resource);
        lastWritten.remove(id);
        pendingSince.remove(id);
    }
}
