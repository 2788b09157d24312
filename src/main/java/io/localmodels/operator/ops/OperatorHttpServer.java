package io.localmodels.operator.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The operator's own HTTP port: {@code /} (the fleet page: HTML the supplier renders for a reload period, from
 * {@code ?refresh=N} seconds or its default), {@code /metrics} (Prometheus text), {@code /healthz} (the process
 * answers), {@code /readyz} (the supplied readiness), {@code /debug/models} (JSON of whatever the supplier returns,
 * meant for {@code HealthMonitor.debugView()}). Starts in the constructor; two daemon threads serve it.
 */
public final class OperatorHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";
    /** The page has no script: a browser that meets an unescaped string by mistake still runs nothing. */
    private static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
    private static final int MAX_REFRESH_SECONDS = 3600;

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * @param port 0 for an ephemeral port (tests)
     * @throws UncheckedIOException when the port cannot be bound
     */
    public OperatorHttpServer(int port, PrometheusMeterRegistry registry, BooleanSupplier ready,
                              Supplier<Object> debugModels, IntFunction<String> fleetPage, int defaultRefreshSeconds) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        route("/", query -> new Reply(200, HTML, fleetPage.apply(refresh(query, defaultRefreshSeconds))));
        route("/metrics", () -> new Reply(200, PROMETHEUS_TEXT, registry.scrape()));
        route("/healthz", () -> new Reply(200, "text/plain", "ok\n"));
        route("/readyz", () -> ready.getAsBoolean()
                ? new Reply(200, "text/plain", "ready\n")
                : new Reply(503, "text/plain", "not ready\n"));
        route("/debug/models", () -> new Reply(200, "application/json", json(debugModels.get())));
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "operator-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private record Reply(int code, String type, String body) {
    }

    private void route(String path, Supplier<Reply> handler) {
        route(path, query -> handler.get());
    }

    /** {@code path} answered by {@code handler}, which gets the raw query string (null when there is none). */
    private void route(String path, Function<String, Reply> handler) {
        server.createContext(path, exchange -> {
            try (exchange) {
                // contexts match by prefix: /healthzzz is not /healthz
                if (!exchange.getRequestURI().getPath().equals(path)) {
                    send(exchange, new Reply(404, "text/plain", "not found\n"));
                } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                    send(exchange, new Reply(405, "text/plain", "only GET\n"));
                } else {
                    send(exchange, handler.apply(exchange.getRequestURI().getRawQuery()));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
                throw e;
            }
        });
    }

    /** {@code refresh=N} from the query, 1..3600 seconds; anything else is the default. */
    static int refresh(String query, int fallback) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("refresh=")) {
                    try {
                        int seconds = Integer.parseInt(pair.substring("refresh=".length()));
                        if (seconds >= 1 && seconds <= MAX_REFRESH_SECONDS) {
                            return seconds;
                        }
                    } catch (NumberFormatException e) {
                        return fallback;
                    }
                }
            }
        }
        return fallback;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.type());
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (reply.type().equals(HTML)) {
            exchange.getResponseHeaders().set("Content-Security-Policy", PAGE_POLICY);
        }
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(reply.code(), head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
