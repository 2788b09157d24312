package io.localmodels.operator.testing;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okio.BufferedSink;
import okio.ByteString;
import okio.Okio;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain-socket HTTP/1.1 server for any mockwebserver3 {@link Dispatcher}, for tests where it matters that a
 * client went away: while a request is dispatched, {@link ClientLink#stillConnected()} tells the dispatcher whether
 * its client is still there, which MockWebServer cannot (Ollama aborts a model load when the client that started
 * it disconnects). A thread per connection, keep-alive, request bodies by Content-Length or chunked; answers with
 * Content-Length, or chunked when the response says {@code Transfer-Encoding: chunked} (the body writes its own
 * chunks up to the last {@code 0\r\n}, as {@link PullStream} does, and the server ends the trailers).
 * <p>Of MockResponse's socket effects it supports Stall (never answer, until the client leaves or the server
 * closes), ShutdownConnection and CloseSocket at response start, and headers and body delays. Anything else (TLS,
 * HTTP/2, web sockets, throttling, informational responses, the other effects) is refused with an
 * {@link IllegalArgumentException} and the connection closed, so a test never silently gets something else.
 */
public final class FakeOllamaServer implements Closeable {

    private final Dispatcher dispatcher;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-ollama-server");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Starts listening on a free loopback port at once. */
    public FakeOllamaServer(Dispatcher dispatcher) throws IOException {
        this.dispatcher = dispatcher;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /** The constructor for field initializers: a failure to listen is unchecked. */
    public static FakeOllamaServer serving(Dispatcher dispatcher) {
        try {
            return new FakeOllamaServer(dispatcher);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot listen on loopback", e);
        }
    }

    public HttpUrl url(String path) {
        return HttpUrl.get("http://" + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort()
                + (path.startsWith("/") ? path : "/" + path));
    }

    /** Connections accepted so far. */
    public int connectionCount() {
        return connections.get();
    }

    /** Errors of the server itself (an unsupported response, a dispatcher that threw); empty in a good run. */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        dispatcher.close(); // as MockWebServer does: releases streams still waiting
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                sockets.add(socket);
                int index = connections.getAndIncrement();
                threads.execute(() -> serve(socket, index));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket, int connectionIndex) {
        try (socket) {
            socket.setTcpNoDelay(true);
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            BufferedSink out = Okio.buffer(Okio.sink(socket.getOutputStream()));
            for (int exchange = 0; !closed; exchange++) {
                RecordedRequest request = readRequest(in, connectionIndex, exchange);
                if (request == null) {
                    return; // the client closed the connection between requests
                }
                ClientLink link = new ClientLink(socket, in);
                MockResponse response;
                link.bind();
                try {
                    response = dispatcher.dispatch(request);
                } finally {
                    ClientLink.unbind();
                }
                if (!respond(response, socket, link, out) || "close".equalsIgnoreCase(request.getHeaders().get("Connection"))
                        || "close".equalsIgnoreCase(response.getHeaders().get("Connection"))) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away mid-exchange: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.add(e);
        } finally {
            sockets.remove(socket);
        }
    }

    private RecordedRequest readRequest(BufferedInputStream in, int connectionIndex, int exchange) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", 3);
        if (parts.length != 3) {
            throw new IOException("malformed request line: " + requestLine);
        }
        Headers.Builder headers = new Headers.Builder();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            headers.add(line);
        }
        Headers all = headers.build();
        List<Integer> chunkSizes = null;
        byte[] body;
        if ("chunked".equalsIgnoreCase(all.get("Transfer-Encoding"))) {
            chunkSizes = new ArrayList<>();
            body = readChunked(in, chunkSizes);
        } else {
            String length = all.get("Content-Length");
            body = readExactly(in, length == null ? 0 : Integer.parseInt(length.trim()));
        }
        return new RecordedRequest(connectionIndex, exchange, null, List.of(), parts[0], parts[1], parts[2],
                url(parts[1]), all, ByteString.of(body), body.length, chunkSizes, null);
    }

    private static byte[] readChunked(BufferedInputStream in, List<Integer> sizes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new EOFException("request ended inside a chunked body");
            }
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                    // trailers are not kept
                }
                return body.toByteArray();
            }
            sizes.add(size);
            body.write(readExactly(in, size));
            readLine(in); // the CRLF after the chunk
        }
    }

    private static byte[] readExactly(BufferedInputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("request body ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    /** A CRLF- (or LF-) terminated line, or null at the end of the stream before any byte. */
    private static String readLine(BufferedInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Writes the answer; false when the connection must end (closed by an effect, or stalled until the end). */
    private boolean respond(MockResponse response, Socket socket, ClientLink link, BufferedSink out)
            throws IOException, InterruptedException {
        SocketEffect start = response.getOnResponseStart();
        if (start instanceof SocketEffect.Stall) {
            while (!closed && link.connected()) {
                Thread.sleep(10);
            }
            return false;
        }
        if (start instanceof SocketEffect.ShutdownConnection || start instanceof SocketEffect.CloseSocket) {
            socket.close();
            return false;
        }
        refuseUnsupported(response);
        TimeUnit.NANOSECONDS.sleep(response.getHeadersDelayNanos());
        out.writeUtf8(response.getStatus()).writeUtf8("\r\n");
        writeHeaders(out, response.getHeaders());
        out.flush();
        TimeUnit.NANOSECONDS.sleep(response.getBodyDelayNanos());
        if (response.getBody() != null) {
            response.getBody().writeTo(out);
        }
        if ("chunked".equalsIgnoreCase(response.getHeaders().get("Transfer-Encoding"))) {
            writeHeaders(out, response.getTrailers()); // after the body's last chunk: trailers and the closing CRLF
        }
        out.flush();
        return true;
    }

    private static void writeHeaders(BufferedSink out, Headers headers) throws IOException {
        for (int i = 0; i < headers.size(); i++) {
            out.writeUtf8(headers.name(i)).writeUtf8(": ").writeUtf8(headers.value(i)).writeUtf8("\r\n");
        }
        out.writeUtf8("\r\n");
    }

    private static void refuseUnsupported(MockResponse response) {
        List<String> unsupported = new ArrayList<>();
        if (response.getOnResponseStart() != null) {
            unsupported.add("onResponseStart " + response.getOnResponseStart());
        }
        if (response.getOnRequestStart() != null || response.getOnRequestBody() != null
                || response.getOnResponseBody() != null || response.getOnResponseEnd() != null) {
            unsupported.add("socket effects other than at response start");
        }
        if (response.getThrottlePeriodNanos() > 0) {
            unsupported.add("throttleBody");
        }
        if (!response.getInformationalResponses().isEmpty()) {
            unsupported.add("informational responses");
        }
        if (response.getSocketHandler() != null || response.getWebSocketListener() != null || response.getInTunnel()) {
            unsupported.add("socket handlers, web sockets and tunnels");
        }
        if (response.getShutdownServer() || response.getTrailersDelayNanos() > 0 || !response.getPushPromises().isEmpty()) {
            unsupported.add("shutdownServer, trailer delays and pushes");
        }
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("FakeOllamaServer does not support " + String.join(", ", unsupported));
        }
    }
}
