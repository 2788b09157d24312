package io.localmodels.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts, over a window, which status fields moved in each status write the watch saw: the field paths that differ
 * between a resource's previous and new status (list entries keyed by {@code type} or {@code name}, so
 * {@code conditions[Healthy].message}), to tell why a fleet still writes when nothing should change.
 */
final class StatusFieldCount {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final Map<String, JsonNode> last = new ConcurrentHashMap<>();
    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    /** A few moves of the latency figures, as "before→after (p50 before→after)", to see what a write was for. */
    private final java.util.Queue<String> latencyMoves = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile boolean counting;

    /** Sees a resource's status as the watch delivers it (on the informer's thread). */
    void saw(String key, Object status) {
        JsonNode now = status == null ? NullNode.getInstance() : JSON.convertValue(status, JsonNode.class);
        JsonNode before = last.put(key, now);
        if (counting && before != null && !before.equals(now)) {
            Set<String> paths = new TreeSet<>();
            diff("", before, now, paths);
            if (paths.remove("")) {
                paths.add("(first status)");
            }
            paths.forEach(p -> counts.merge(p, 1L, Long::sum));
            if (paths.contains("health.latencyP95Ms") && latencyMoves.size() < 12) {
                latencyMoves.add(before.at("/health/latencyP95Ms").asText() + "→" + now.at("/health/latencyP95Ms").asText()
                        + " (p50 " + before.at("/health/latencyP50Ms").asText() + "→"
                        + now.at("/health/latencyP50Ms").asText() + ")");
            }
            counts.merge("(writes)", 1L, Long::sum);
        }
    }

    /** From now on, count. */
    void start() {
        counts.clear();
        latencyMoves.clear();
        counting = true;
    }

    /** The paths counted since {@link #start}, most frequent first is left to the reader: sorted by path. */
    Map<String, Long> stop() {
        counting = false;
        return new TreeMap<>(counts);
    }

    /** Examples of p95 moves among the writes counted. */
    java.util.List<String> latencyMoves() {
        return java.util.List.copyOf(latencyMoves);
    }

    static void diff(String path, JsonNode a, JsonNode b, Set<String> out) {
        if (a == null || b == null || a.getNodeType() != b.getNodeType()) {
            out.add(path);
        } else if (a.isObject()) {
            Set<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            names.forEach(n -> diff(path.isEmpty() ? n : path + "." + n, a.get(n), b.get(n), out));
        } else if (a.isArray()) {
            Map<String, JsonNode> ka = keyed(a);
            Map<String, JsonNode> kb = keyed(b);
            if (ka == null || kb == null) {
                if (!a.equals(b)) {
                    out.add(path);
                }
                return;
            }
            Set<String> keys = new TreeSet<>(ka.keySet());
            keys.addAll(kb.keySet());
            keys.forEach(k -> diff(path + "[" + k + "]", ka.get(k), kb.get(k), out));
        } else if (!a.equals(b)) {
            out.add(path);
        }
    }

    /** A list of objects by their {@code type} or {@code name}; null when its entries have neither. */
    private static Map<String, JsonNode> keyed(JsonNode array) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            JsonNode e = it.next();
            JsonNode key = e.isObject() ? (e.has("type") ? e.get("type") : e.get("name")) : null;
            if (key == null) {
                return null;
            }
            out.put(key.asText(), e);
        }
        return out;
    }
}
