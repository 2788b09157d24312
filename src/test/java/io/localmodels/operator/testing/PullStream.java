package io.localmodels.operator.testing;

import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One {@code /api/pull} answer of the fake Ollama: HTTP 200 with chunked NDJSON that the test feeds line by line, so
 * it decides exactly what the puller has seen when it looks. Ends cleanly ({@link #finish}) or by dropping the
 * connection ({@link #cut}).
 */
public final class PullStream implements MockResponseBody {

    private static final Object END = new Object();
    private static final Object CUT = new Object();

    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final String requestBody;
    private volatile boolean clientGone;

    public PullStream(String requestBody) {
        this.requestBody = requestBody;
    }

    public MockResponse response() {
        return new MockResponse.Builder()
                .body(this)
                .removeHeader("Content-Length")
                .setHeader("Transfer-Encoding", "chunked")
                .setHeader("Content-Type", "application/x-ndjson")
                .build();
    }

    public String requestBody() {
        return requestBody;
    }

    /** True once a write failed because the client hung up. */
    public boolean clientGone() {
        return clientGone;
    }

    public PullStream send(String json) {
        lines.add(json);
        return this;
    }

    public PullStream manifest() {
        return send("{\"status\":\"pulling manifest\"}");
    }

    /** A layer's first line: Ollama leaves {@code completed} out until bytes arrive. */
    public PullStream announce(String hex, long total) {
        return send(layerJson(hex, total, ""));
    }

    public PullStream layer(String hex, long total, long completed) {
        return send(layerJson(hex, total, ",\"completed\":" + completed));
    }

    private static String layerJson(String hex, long total, String completed) {
        return "{\"status\":\"pulling " + hex.substring(0, 12) + "\",\"digest\":\"sha256:" + hex
                + "\",\"total\":" + total + completed + "}";
    }

    /** The closing lines of a good pull; the caller puts the model on the fake's disk first. */
    public void succeed() {
        send("{\"status\":\"verifying sha256 digest\"}");
        send("{\"status\":\"writing manifest\"}");
        send("{\"status\":\"success\"}");
        finish();
    }

    /** An {@code {"error":…}} line inside HTTP 200, then the end of the stream, as Ollama does. */
    public void error(String text) {
        send("{\"error\":\"" + text + "\"}");
        finish();
    }

    public void finish() {
        lines.add(END);
    }

    public void cut() {
        lines.add(CUT);
    }

    @Override
    public long getContentLength() {
        return -1;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        try {
            while (true) {
                Object next = lines.take();
                if (next == END) {
                    // the last chunk; the server appends the (empty) trailers and the closing CRLF
                    sink.writeUtf8("0\r\n").flush();
                    return;
                }
                if (next == CUT) {
                    sink.close(); // closes the connection: the client sees the stream end mid-chunk
                    throw new IOException("pull stream cut by the test");
                }
                byte[] line = (next + "\n").getBytes(StandardCharsets.UTF_8);
                sink.writeUtf8(Integer.toHexString(line.length)).writeUtf8("\r\n").write(line).writeUtf8("\r\n");
                sink.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            clientGone = !(e.getMessage() != null && e.getMessage().startsWith("pull stream cut"));
            throw e;
        }
    }
}
