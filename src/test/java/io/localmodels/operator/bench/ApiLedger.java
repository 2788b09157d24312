package io.localmodels.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the API requests the mock server records, by client (User-Agent), verb and resource, draining the mock's
 * journal as it goes so it does not grow for the whole run; and the Events created, by the kind of object they are
 * about, type and reason: the dispatcher hands each Event's body on and this class's thread reads it, so the mock
 * server's event loop only copies the bytes (a watch on Events would make it serialize and send each one again).
 * Figures are differences of two {@link #snapshot}s.
 */
final class ApiLedger implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesMockServer server;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    /** Events created, by "agent kind type/reason", e.g. "localmodels-operator LocalModel Normal/Ready". */
    private final Map<String, LongAdder> events = new ConcurrentHashMap<>();
    private final Thread drainer;
    private volatile boolean running = true;

    /** Bodies of created Events with their User-Agent, waiting to be read. */
    private final java.util.Queue<Map.Entry<String, byte[]>> createdEvents = new java.util.concurrent.ConcurrentLinkedQueue<>();

    ApiLedger(KubernetesMockServer server, IndexedCrudDispatcher dispatcher) {
        this.server = server;
        dispatcher.onEventCreate((agent, body) -> createdEvents.add(Map.entry(agent == null ? "?" : agent, body)));
        this.drainer = new Thread(this::drain, "api-ledger");
        this.drainer.setDaemon(true);
        this.drainer.start();
    }

    /** Requests counted so far by "agent verb resource", e.g. "localmodels-operator PUT localmodels/status". */
    Counts snapshot() {
        settle();
        return new Counts(sums(counts), sums(events));
    }

    private static Map<String, Long> sums(Map<String, LongAdder> adders) {
        Map<String, Long> copy = new TreeMap<>();
        adders.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** Waits until every request the mock server answered so far has been counted. */
    private void settle() {
        int received = server.getRequestCount();
        while ((total() < received || !createdEvents.isEmpty()) && running) {
            try {
                Thread.sleep(20); // a benchmark, not a test: the drainer takes requests as they come
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private void drain() {
        while (running) {
            try {
                for (var e = createdEvents.poll(); e != null; e = createdEvents.poll()) {
                    events.computeIfAbsent(eventKey(e.getKey(), e.getValue()), k -> new LongAdder()).increment();
                }
                RecordedRequest r = server.takeRequest(50, TimeUnit.MILLISECONDS);
                if (r != null) {
                    counts.computeIfAbsent(key(r), k -> new LongAdder()).increment();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String key(RecordedRequest r) {
        String agent = r.getHeader("User-Agent");
        String method = r.getMethod();
        String path = r.getPath();
        if ("GET".equals(method) && path.contains("watch=true")) {
            method = "WATCH";
        }
        return (agent == null ? "?" : agent) + " " + method + " " + resource(path);
    }

    /** "agent kind type/reason" of a created Event, from the request's body. */
    private static String eventKey(String agent, byte[] body) {
        try {
            JsonNode event = JSON.readTree(body);
            return agent + " " + event.path("involvedObject").path("kind").asText("?") + " "
                    + event.path("type").asText("?") + "/" + event.path("reason").asText("?");
        } catch (IOException e) {
            return agent + " ? unreadable";
        }
    }

    /** {@code /apis/g/v/namespaces/ns/kind/name/status?x} → {@code kind/status}; lists and gets alike → kind. */
    static String resource(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String[] s = p.split("/");
        int i = p.startsWith("/api/") ? 3 : 4; // /api/v1/... or /apis/group/v1/...
        if (s.length > i && "namespaces".equals(s[i]) && s.length > i + 2) {
            i += 2;
        }
        if (s.length <= i) {
            return p;
        }
        String kind = s[i];
        return s.length > i + 2 ? kind + "/" + s[i + 2] : kind;
    }

    /** Request counts by "agent verb resource", and Events created by "agent kind type/reason". */
    record Counts(Map<String, Long> byKey, Map<String, Long> events) {

        Counts minus(Counts earlier) {
            return new Counts(minus(byKey, earlier.byKey), minus(events, earlier.events));
        }

        private static Map<String, Long> minus(Map<String, Long> now, Map<String, Long> earlier) {
            Map<String, Long> out = new TreeMap<>();
            now.forEach((k, v) -> {
                long d = v - earlier.getOrDefault(k, 0L);
                if (d != 0) {
                    out.put(k, d);
                }
            });
            return out;
        }

        /** Events {@code agent} created, by "kind type/reason", e.g. "LocalModel Normal/Ready". */
        Map<String, Long> eventsBy(String agent) {
            Map<String, Long> out = new TreeMap<>();
            events.forEach((k, v) -> {
                if (k.startsWith(agent + " ")) {
                    out.put(k.substring(agent.length() + 1), v);
                }
            });
            return out;
        }

        long reads(String agent) {
            return sum(agent, true);
        }

        /** Every request of every client, watches included. */
        long requests() {
            return byKey.values().stream().mapToLong(Long::longValue).sum();
        }

        long writes(String agent) {
            return sum(agent, false);
        }

        private long sum(String agent, boolean reads) {
            return byKey.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(agent + " "))
                    .filter(e -> isRead(e.getKey()) == reads)
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** Writes of {@code agent}, by verb and resource, for the figure's explanation. */
        Map<String, Long> writesBy(String agent) {
            Map<String, Long> out = new TreeMap<>();
            byKey.forEach((k, v) -> {
                if (k.startsWith(agent + " ") && !isRead(k)) {
                    out.put(k.substring(agent.length() + 1), v);
                }
            });
            return out;
        }

        Map<String, Long> readsBy(String agent) {
            Map<String, Long> out = new TreeMap<>();
            byKey.forEach((k, v) -> {
                if (k.startsWith(agent + " ") && isRead(k)) {
                    out.put(k.substring(agent.length() + 1), v);
                }
            });
            return out;
        }

        private static boolean isRead(String key) {
            String verb = key.split(" ")[1];
            return verb.equals("GET") || verb.equals("WATCH");
        }
    }

    @Override
    public void close() {
        running = false;
        drainer.interrupt();
    }
}
