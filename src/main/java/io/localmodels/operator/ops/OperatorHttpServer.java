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
import java.util.function.Supplier;

/**
 * The operator's own HTTP port: {@code /metrics} (Prometheus text), {@code /healthz} (the process answers),
 * {@code /readyz} (the supplied readiness), {@code /debug/models} (JSON of whatever the supplier returns, meant
 * for {@code HealthMonitor.debugView()}). Starts in the constructor; two daemon threads serve it.
 */
public final class OperatorHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * @param port 0 for an ephemeral port (tests)
     * @throws UncheckedIOException when the port cannot be bound
     */
    public OperatorHttpServer(int port, PrometheusMeterRegistry registry, BooleanSupplier ready,
                              Supplier<Object> debugModels) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
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
        server.createContext(path, exchange -> {
            try (exchange) {
                // contexts match by prefix: /healthzzz is not /healthz
                if (!exchange.getRequestURI().getPath().equals(path)) {
                    send(exchange, new Reply(404, "text/plain", "not found\n"));
                } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                    send(exchange, new Reply(405, "text/plain", "only GET\n"));
                } else {
                    send(exchange, handler.get());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
                throw e;
            }
        });
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
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(reply.code(), head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
