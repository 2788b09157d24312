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
 * chat after a configurable latency, failing a configurable fraction of calls or all calls of chosen models.
 * <p>What the operator's probe cycle relies on behaves as Ollama 0.12.6 does (see ollama-api.md): {@code GET /}
 * answers {@code Ollama is running} at once however busy the model is; the model is not in memory until a request
 * loads it, a warm-up ({@code /api/chat} with {@code "messages": []}) answers {@code done_reason: "load"} once the
 * load time has passed, and {@code /api/ps} lists the model from the moment its load began; a loaded model has one
 * slot ({@link FleetRunner}) and a chat beyond it waits without limit, no 503. A {@link UserRequest} holds the slot
 * as a long generation does. Delayed answers are sent from a timer and waiting ones are queued callbacks, so a slow
 * or busy Ollama costs no thread per call.
 * <p>Differences from Ollama kept on purpose: keep-alive never expires (nothing unloads); a chat of a failing model
 * answers 500 after the latency without waiting for the slot (a crashed runner, as the test fake's {@code FAIL});
 * a waiting chat whose client gave up still takes its turn when the slot frees (the JDK server does not tell that a
 * connection closed; Ollama drops it from the queue), which costs one latency per such chat; a chat with messages
 * reports {@code load_duration} of a loaded model even when it waited for a load.
 */
final class FleetOllama implements AutoCloseable {

    private static final byte[] SHOW = "{\"details\":{\"family\":\"qwen3\"},\"capabilities\":[\"completion\"]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] VERSION = "{\"version\":\"0.12.6\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHAT = OllamaAnswers.chatBody("m", "OK", 12, 400_000_000L).getBytes(StandardCharsets.UTF_8);
    private static final byte[] LOADED = ("{\"model\":\"m\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":"
            + "{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"load\"}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] RUNNING = "Ollama is running".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOTHING_LOADED = "{\"models\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FAILED = "{\"error\":\"llama runner process has terminated\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_FOUND = "404 page not found".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Map<String, byte[]> tags = new ConcurrentHashMap<>();
    private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();
    private final Map<String, FleetRunner> runners = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final AtomicLong chats = new AtomicLong();
    private final AtomicLong waited = new AtomicLong();
    /** Chats with messages by LocalModel: in the benchmark only the operator's probes send them. */
    private final Map<String, AtomicLong> probeChats = new ConcurrentHashMap<>();
    private final long loadNanos;
    private volatile long latencyMillis;
    private volatile double failureRate;

    /** {@code loadMillis}: how long loading a model into memory takes (the first request to it waits for it). */
    FleetOllama(long latencyMillis, double failureRate, long loadMillis) throws IOException {
        // without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: 40 ms per call
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.latencyMillis = latencyMillis;
        this.failureRate = failureRate;
        this.loadNanos = TimeUnit.MILLISECONDS.toNanos(loadMillis);
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
        // all of it in VRAM; the expiry is far away because keep-alive never expires here
        loaded.put(localModel, ("{\"models\":[{\"name\":\"" + listed + "\",\"model\":\"" + listed
                + "\",\"size\":1011843072,\"digest\":\"" + hexDigest + "\",\"details\":{\"format\":\"gguf\","
                + "\"family\":\"qwen3\"},\"expires_at\":\"2318-01-01T00:00:00Z\",\"size_vram\":1011843072,"
                + "\"context_length\":4096}]}").getBytes(StandardCharsets.UTF_8));
        runners.put(localModel, new FleetRunner());
        probeChats.put(localModel, new AtomicLong());
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

    /** Chats with messages (probes, not warm-ups) that reached {@code localModel}'s server so far. */
    long probes(String localModel) {
        AtomicLong count = probeChats.get(localModel);
        return count == null ? 0 : count.get();
    }

    /** Chats that found the slot taken and waited for it. */
    long waitedForSlot() {
        return waited.get();
    }

    /**
     * A long user generation on {@code localModel}'s loaded model: it takes the only slot (after the requests
     * ahead of it) and keeps it until {@link UserRequest#end()}, so chats meanwhile wait, as on a busy Ollama.
     */
    UserRequest hold(String localModel) {
        FleetRunner runner = runners.get(localModel);
        if (runner == null || !runner.inMemory()) {
            throw new IllegalStateException(localModel + ": a user request needs the model loaded first");
        }
        UserRequest request = new UserRequest(runner);
        runner.acquire(request.generation);
        return request;
    }

    /** A user's long generation holding (or waiting for) a model's slot. */
    static final class UserRequest {
        private final FleetRunner runner;
        private final Runnable generation = () -> { };

        private UserRequest(FleetRunner runner) {
            this.runner = runner;
        }

        /** The generation is done: the slot goes to the next waiting request (or it leaves the queue). */
        void end() {
            if (!runner.withdraw(generation)) {
                runner.release();
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/", 4); // "", "m", name, "api/..."
        String name = parts.length > 2 ? parts[2] : "";
        String op = parts.length > 3 ? parts[3] : "";
        byte[] body = exchange.getRequestBody().readAllBytes();
        switch (op) {
            case "" -> running(exchange);
            case "api/tags" -> {
                byte[] disk = tags.get(name);
                send(exchange, disk == null ? 404 : 200, disk == null ? NOT_FOUND : disk);
            }
            case "api/ps" -> {
                FleetRunner runner = runners.get(name);
                send(exchange, 200, runner != null && runner.inMemory() ? loaded.get(name) : NOTHING_LOADED);
            }
            case "api/version" -> send(exchange, 200, VERSION);
            case "api/show" -> send(exchange, 200, SHOW);
            case "api/chat" -> chat(exchange, name, new String(body, StandardCharsets.UTF_8));
            default -> send(exchange, 404, NOT_FOUND);
        }
    }

    /** {@code GET /}: answered by the HTTP server itself, at once however busy the models are. */
    private void running(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            send(exchange, 404, NOT_FOUND);
            return;
        }
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            if ("HEAD".equals(method)) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, RUNNING.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(RUNNING);
            }
        }
    }

    /**
     * A warm-up waits for the load only; a chat with messages (a probe) waits for the load, then for the slot,
     * then generates for the latency while holding it.
     */
    private void chat(HttpExchange exchange, String name, String body) {
        chats.incrementAndGet();
        FleetRunner runner = runners.get(name);
        if (runner == null) {
            answerLater(exchange, 404, "{\"error\":\"model 'm' not found\"}".getBytes(StandardCharsets.UTF_8), 0);
            return;
        }
        // ChatRequest.warmUp writes "messages":[]; a probe writes at least one message
        if (body.contains("\"messages\":[]")) {
            answerLater(exchange, 200, LOADED, TimeUnit.NANOSECONDS.toMillis(runner.untilLoaded(loadNanos)));
            return;
        }
        probeChats.get(name).incrementAndGet();
        boolean fails = failing.contains(name) || (failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate);
        if (fails) {
            answerLater(exchange, 500, FAILED, latencyMillis);
            return;
        }
        Runnable generation = () -> later(() -> {
            try {
                send(exchange, 200, CHAT);
            } catch (IOException e) {
                exchange.close(); // the client gave up (probe timeout): nothing to answer
            } finally {
                runner.release();
            }
        }, latencyMillis);
        later(() -> {
            if (!runner.acquire(generation)) {
                waited.incrementAndGet();
            }
        }, TimeUnit.NANOSECONDS.toMillis(runner.untilLoaded(loadNanos)));
    }

    private void answerLater(HttpExchange exchange, int code, byte[] body, long delayMillis) {
        later(() -> {
            try {
                send(exchange, code, body);
            } catch (IOException e) {
                exchange.close(); // the client gave up: nothing to answer
            }
        }, delayMillis);
    }

    /** Runs {@code task} on a worker after {@code delayMillis} (at once when not positive), from the timer. */
    private void later(Runnable task, long delayMillis) {
        if (delayMillis <= 0) {
            task.run();
        } else {
            timer.schedule(() -> workers.execute(task), delayMillis, TimeUnit.MILLISECONDS);
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
