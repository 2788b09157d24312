package io.localmodels.operator.health;

import io.localmodels.operator.testing.OllamaAnswers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.api.ProbeSpec;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.ollama.ChatRequest;
import io.localmodels.operator.ollama.OllamaClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import okhttp3.OkHttpClient;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * What the probe engine costs: 1000 models against one in-process fake Ollama that answers chat at once.
 * Measures probes/s through the HealthMonitor's probe path (schedule, slot, chat, classification, window,
 * breaker, metrics, coalescing), plain concurrent okhttp calls of the same size and concurrency against the same
 * server, and CPU time with the fake server's own threads subtracted. A main in the test tree, so no test run
 * includes it; docs/performance.md has the command.
 */
public final class ProbeThroughputBenchmark {

    private static final int MODELS = 1000;
    private static final int CONCURRENCY = 64;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration MEASURE = Duration.ofSeconds(10);
    private static final byte[] CHAT = OllamaAnswers.chatBody("m", "OK", 2, 20_000_000L).getBytes(StandardCharsets.UTF_8);
    private static final byte[] SHOW = "{\"capabilities\":[\"completion\",\"thinking\"]}".getBytes(StandardCharsets.UTF_8);

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final List<Long> serverThreads = new CopyOnWriteArrayList<>();

    /** One measured phase: how many probes in how long, and the CPU spent outside the fake server. */
    private record Figures(String phase, double probesPerSecond, double clientCpuMicrosPerProbe,
                           double clientCpuCores, double processCpuCores) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-36s %10.0f probes/s %8.1f µs CPU/probe %6.2f cores (probe side) %6.2f cores (process)",
                    phase, probesPerSecond, clientCpuMicrosPerProbe, clientCpuCores, processCpuCores);
        }
    }

    public static void main(String[] args) throws Exception {
        // the test class path has no logging config: logback's default would print every DEBUG line and be measured
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        new ProbeThroughputBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        HttpServer fake = fakeOllama();
        String url = "http://127.0.0.1:" + fake.getAddress().getPort();
        try {
            Figures plain = plainPhase(url);
            Figures engine = monitorPhase(url, "20ms", "monitor, 1000 models, interval 20ms", WARM_UP, MEASURE);
            Figures steady = monitorPhase(url, "10s", "monitor, 1000 models, interval 10s", Duration.ofSeconds(12),
                    Duration.ofSeconds(20));
            System.out.println();
            System.out.println("cores available: " + Runtime.getRuntime().availableProcessors()
                    + ", probe concurrency: " + CONCURRENCY + ", java " + System.getProperty("java.version"));
            System.out.println(engine);
            System.out.println(plain);
            System.out.printf(Locale.ROOT, "ratio monitor/plain: %.2f%n", engine.probesPerSecond() / plain.probesPerSecond());
            System.out.println(steady);
        } finally {
            fake.stop(0);
        }
    }

    private Figures monitorPhase(String url, String interval, String name, Duration warmUp, Duration measure)
            throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OkHttpClient http = OllamaClient.newHttpClient(CONCURRENCY);
        OperatorConfig config = OperatorConfig.defaults().withProbeConcurrency(CONCURRENCY);
        AtomicLong publishes = new AtomicLong();
        HealthMonitor monitor = new HealthMonitor(config, http, registry, id -> publishes.incrementAndGet());
        ProbeSpec probe = new ProbeSpec();
        probe.setInterval(interval);
        probe.setTimeout("10s");
        for (int i = 0; i < MODELS; i++) {
            monitor.track(new ResourceID("model-" + i, "bench"),
                    new ProbeTarget(url, "qwen3:" + i, probe, null));
        }
        DoubleSupplier done = () -> registry.find(ProbeMetrics.PROBES).counters().stream().mapToDouble(Counter::count).sum();
        try {
            return measure(name, done, warmUp, measure);
        } finally {
            monitor.close();
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private Figures plainPhase(String url) throws Exception {
        OkHttpClient http = OllamaClient.newHttpClient(CONCURRENCY);
        OllamaClient client = new OllamaClient(http, url);
        AtomicLong done = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Duration timeout = Duration.ofSeconds(10);
        for (int lane = 0; lane < CONCURRENCY; lane++) {
            loop(client, lane, done, running, timeout);
        }
        try {
            return measure("plain okhttp, 64 concurrent calls", done::get, WARM_UP, MEASURE);
        } finally {
            running.set(false);
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /** A closed loop: each answer sends the next call, cycling over the 1000 model names. */
    private static void loop(OllamaClient client, int n, AtomicLong done, AtomicBoolean running, Duration timeout) {
        if (!running.get()) {
            return;
        }
        ChatRequest request = ChatRequest.probe("qwen3:" + (n % MODELS), ProbeSettings.DEFAULT_PROMPT, 64, Boolean.FALSE);
        client.chat(request, timeout).whenComplete((reply, error) -> {
            done.incrementAndGet();
            loop(client, n + CONCURRENCY, done, running, timeout);
        });
    }

    private Figures measure(String name, DoubleSupplier probes, Duration warmUp, Duration window) throws Exception {
        Thread.sleep(warmUp.toMillis());   // a benchmark, not a test: it measures over wall time on purpose
        double p0 = probes.getAsDouble();
        long cpu0 = os.getProcessCpuTime();
        long server0 = serverCpu();
        long t0 = System.nanoTime();
        Thread.sleep(window.toMillis());
        double count = probes.getAsDouble() - p0;
        long elapsed = System.nanoTime() - t0;
        long process = os.getProcessCpuTime() - cpu0;
        long client = process - (serverCpu() - server0);
        return new Figures(name, count * 1e9 / elapsed, client / 1e3 / Math.max(count, 1),
                (double) client / elapsed, (double) process / elapsed);
    }

    private long serverCpu() {
        return serverThreads.stream().mapToLong(threads::getThreadCpuTime).filter(t -> t > 0).sum();
    }

    /** A fake Ollama on the JDK server whose worker threads are counted apart. */
    private HttpServer fakeOllama() throws IOException {
        // without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: 40 ms per call
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(() -> {
                serverThreads.add(Thread.currentThread().getId());
                r.run();
            }, "fake-ollama");
            t.setDaemon(true);
            return t;
        });
        server.createContext("/api/chat", exchange -> answer(exchange, CHAT));
        server.createContext("/api/show", exchange -> answer(exchange, SHOW));
        server.setExecutor(workers);
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, byte[] body) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
