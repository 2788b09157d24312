package io.localmodels.operator.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.localmodels.operator.ollama.ModelName;
import io.localmodels.operator.testing.OllamaAnswers;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many Ollama servers in one loopback JDK HTTP server: the server of LocalModel {@code x} lives under
 * {@code /m/x/}, has that model on its disk (so the operator's pull finds it and skips the download), and answers
 * chat after a configurable latency, failing a configurable fraction of calls or all calls of chosen models. Delayed
 * answers are sent from a timer, so a slow Ollama costs no thread per call.
 */
final class FleetOllama implements AutoCloseable {

    private static final byte[] SHOW = "{\"details\":{\"family\":\"qwen3\"},\"capabilities\":[\"completion\"]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] VERSION = "{\"version\":\"0.12.6\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHAT = OllamaAnswers.chatBody("m", "OK", 12, 400_000_000L).getBytes(StandardCharsets.UTF_8);
    private static final byte[] FAILED = "{\"error\":\"llama runner process has terminated\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_FOUND = "404 page not found".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Map<String, byte[]> tags = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final AtomicLong chats = new AtomicLong();
    private volatile long latencyMillis;
    private volatile double failureRate;

    FleetOllama(long latencyMillis, double failureRate) throws IOException {
        // without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: 40 ms per call
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.latencyMillis = latencyMillis;
        this.failureRate = failureRate;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        this.workers = Executors.newFixedThreadPool(2, daemon("fleet-ollama"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("fleet-ollama-timer"));
        server.createContext("/m/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    /** The base URL of one LocalModel's Ollama. */
    String baseUrl(String localModel) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/m/" + localModel + "/";
    }

    /** Puts {@code model} on the disk of {@code localModel}'s server, listed as Ollama lists it (shortest form). */
    void serve(String localModel, String model, String hexDigest) {
        String listed = ModelName.parse(model).displayShortest();
        tags.put(localModel, ("{\"models\":[{\"name\":\"" + listed + "\",\"model\":\"" + listed
                + "\",\"modified_at\":\"2026-01-01T00:00:00Z\",\"size\":522653767,\"digest\":\"" + hexDigest
                + "\",\"details\":{\"format\":\"gguf\",\"family\":\"qwen3\",\"parameter_size\":\"751.63M\","
                + "\"quantization_level\":\"Q4_K_M\"}}]}").getBytes(StandardCharsets.UTF_8));
    }

    /** From now on every chat of {@code localModel} fails with HTTP 500, as a crashed runner does. */
    void fail(String localModel) {
        failing.add(localModel);
    }

    void latency(long millis) {
        this.latencyMillis = millis;
    }

    long latency() {
        return latencyMillis;
    }

    long chats() {
        return chats.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/", 4); // "", "m", name, "api/..."
        String name = parts.length > 2 ? parts[2] : "";
        String op = parts.length > 3 ? parts[3] : "";
        exchange.getRequestBody().readAllBytes();
        switch (op) {
            case "api/tags" -> {
                byte[] disk = tags.get(name);
                send(exchange, disk == null ? 404 : 200, disk == null ? NOT_FOUND : disk);
            }
            case "api/version" -> send(exchange, 200, VERSION);
            case "api/show" -> send(exchange, 200, SHOW);
            case "api/chat" -> chat(exchange, name);
            default -> send(exchange, 404, NOT_FOUND);
        }
    }

    private void chat(HttpExchange exchange, String name) {
        chats.incrementAndGet();
        boolean fails = failing.contains(name) || (failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate);
        Runnable answer = () -> {
            try {
                send(exchange, fails ? 500 : 200, fails ? FAILED : CHAT);
            } catch (IOException e) {
                exchange.close(); // the client gave up (probe timeout): nothing to answer
            }
        };
        long delay = latencyMillis;
        if (delay <= 0) {
            answer.run();
        } else {
            timer.schedule(() -> workers.execute(answer), delay, TimeUnit.MILLISECONDS);
        }
    }

    private static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        timer.shutdownNow();
        workers.shutdownNow();
    }
}
