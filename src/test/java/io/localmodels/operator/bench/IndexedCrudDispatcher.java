package io.localmodels.operator.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;

import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The fabric8 CRUD mock with an index by object name, so that it can carry a fleet of 10 000 models. The stock
 * dispatcher finds the object a create, update or patch names by testing every stored object's attributes, under
 * one write lock, on its one event-loop thread: O(objects) per write, so 10 000 LocalModels with their
 * StatefulSets, Services, pods and Events made every write cost milliseconds and the bring-up quadratic (a real
 * API server looks objects up by key). Same answers as the stock dispatcher: the index only narrows the candidates,
 * which are still tested with the stock attribute match; lists, label selectors and watches are unchanged.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {

    /** Keys of the stored objects by their name; a key is removed when its object is replaced or deleted. */
    private final Map<String, Set<AttributeSet>> byName = new ConcurrentHashMap<>();
    /** Sees the User-Agent and body of every Event created; set by {@link ApiLedger}. */
    private volatile BiConsumer<String, byte[]> onEventCreate = (agent, body) -> { };

    IndexedCrudDispatcher() {
        super(List.of());
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        String name = name(attributes);
        if (name == null) {
            return super.findResource(attributes);
        }
        for (AttributeSet key : byName.getOrDefault(name, Set.of())) {
            String value = map.get(key);
            if (value != null && key.matches(attributes)) {
                return Map.entry(key, value);
            }
        }
        return null;
    }

    /** {@code listener} gets the User-Agent and body of each Event created, on the event loop: it must only hand on. */
    void onEventCreate(BiConsumer<String, byte[]> listener) {
        this.onEventCreate = listener;
    }

    /**
     * Hands on each Event's body before the stock create reads it: reading the body empties the request's buffer,
     * so the journal's copy of it cannot be relied on after the dispatch ({@code Buffer.readUtf8}).
     */
    @Override
    public MockResponse handleCreate(io.fabric8.mockwebserver.http.RecordedRequest request) {
        String path = request.getPath();
        if (path.endsWith("/events") || path.contains("/events?")) {
            onEventCreate.accept(request.getHeader("User-Agent"), request.getBody().getBytes());
        }
        return super.handleCreate(request);
    }

    @Override
    public MockResponse handleGet(String path) {
        AttributeSet query = getKey(path);
        String name = name(query);
        if (name == null || path.contains("watch=true")) {
            return super.handleGet(path);
        }
        Map.Entry<AttributeSet, String> found = findResource(query);
        return found == null ? new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
                : new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(found.getValue());
    }

    /**
     * A JSON patch whose {@code test} operation fails is a 422 from the API server; the stock mock lets the
     * exception escape, never answers, and the client waits for its timeout (the pod readiness gate's patch tests
     * the resource version it read, and a fleet's kubelet writes in between).
     */
    @Override
    public MockResponse handlePatch(io.fabric8.mockwebserver.http.RecordedRequest request) {
        try {
            return super.handlePatch(request);
        } catch (io.fabric8.zjsonpatch.JsonPatchException e) {
            return new MockResponse().setResponseCode(422).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"status\":\"Failure\",\"reason\":\"Invalid\",\"code\":422,\"message\":\"the server rejected "
                    + "our request due to an error in our request\"}");
        }
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                             GenericKubernetesResource resource, String newState) {
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        String oldName = oldAttributes == null ? null : name(oldAttributes);
        if (oldName != null) {
            Set<AttributeSet> keys = byName.get(oldName);
            if (keys != null) {
                keys.remove(oldAttributes);
            }
        }
        if (newState != null) {
            // the key the stock dispatcher stored the new state under, computed as it computes it
            KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
            AttributeSet key = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
            if (!key.containsKey(KubernetesAttributesExtractor.PLURAL)) {
                key = AttributeSet.merge(pathAttributes, key);
            }
            if (!map.containsKey(key)) {
                throw new IllegalStateException("the index lost track of " + path + ": the mock stores keys differently");
            }
            String name = name(key);
            if (name != null) {
                byName.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(key);
            }
        }
    }

    @Override
    public void reset() {
        super.reset();
        byName.clear();
    }

    private static String name(AttributeSet attributes) {
        Attribute name = attributes.getAttribute(KubernetesAttributesExtractor.NAME);
        return name == null ? null : name.getValues().toString();
    }
}
