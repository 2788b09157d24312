package io.localmodels.operator.ollama;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The one place that speaks HTTP to Ollama. Cheap to create: all instances share the connection pool and
 * dispatcher of the {@link OkHttpClient} they are given.
 */
public class OllamaClient {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OkHttpClient http;
    private final HttpUrl base;
    private final String baseUrl;

    public OllamaClient(OkHttpClient http, String baseUrl) {
        this.http = http;
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        // paths resolve against a directory: without the trailing slash https://gw.example/ollama would lose
        // its last segment (api/tags → https://gw.example/api/tags)
        this.base = parsed.encodedPath().endsWith("/") ? parsed : parsed.newBuilder().addPathSegment("").build();
        this.baseUrl = this.base.toString().replaceAll("/$", "");
    }

    /**
     * A client for Ollama calls: short connect timeout, no overall call timeout (pulls take hours). Its calls run on
     * daemon threads named {@code localmodels-http} (okhttp names a thread after the call while it runs one).
     */
    public static OkHttpClient newHttpClient(int maxRequests) {
        OkHttpClient client = new OkHttpClient.Builder()
                .dispatcher(new Dispatcher(callThreads()))
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofMinutes(10))
                .retryOnConnectionFailure(false)
                .build();
        client.dispatcher().setMaxRequests(maxRequests);
        client.dispatcher().setMaxRequestsPerHost(maxRequests);
        return client;
    }

    /** What okhttp's own dispatcher runs calls on (a thread per call, idle ones end after a minute), as daemons. */
    private static ExecutorService callThreads() {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "localmodels-http-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The same server through another client, e.g. one whose dispatcher is kept for long requests. */
    public OllamaClient through(OkHttpClient other) {
        return new OllamaClient(other, baseUrl);
    }

    /** GET /api/version. */
    public String version() throws IOException {
        return get("api/version", VersionResponse.class).version();
    }

    /** GET /api/version asynchronously; completes like {@link #showAsync}. */
    public CompletableFuture<String> versionAsync(Duration timeout) {
        return readAsync(new Request.Builder().url(base.resolve("api/version")).get().build(), timeout,
                VersionResponse.class).thenApply(VersionResponse::version);
    }

    /** GET /api/tags: the models on the server's disk. */
    public List<TagsResponse.Model> tags() throws IOException {
        TagsResponse tags = get("api/tags", TagsResponse.class);
        return tags.models() == null ? List.of() : tags.models();
    }

    /** GET /api/ps: the models loaded in memory. */
    public List<PsResponse.Model> ps() throws IOException {
        PsResponse ps = get("api/ps", PsResponse.class);
        return ps.models() == null ? List.of() : ps.models();
    }

    /** POST /api/show: details and capabilities of one model. */
    public ShowResponse show(String model) throws IOException {
        Request request = post("api/show", new ModelRequest(model, null));
        try (Response response = http.newCall(request).execute()) {
            String body = bodyOf(response);
            if (!response.isSuccessful()) {
                throw OllamaException.fromReply(response.code(), body);
            }
            return JSON.readValue(body, ShowResponse.class);
        }
    }

    /**
     * POST /api/show asynchronously, for callers that must not block (the health probes). Completes exceptionally
     * with an {@link OllamaException} for an error answer, with the I/O failure otherwise.
     */
    public CompletableFuture<ShowResponse> showAsync(String model, Duration timeout) {
        return readAsync(post("api/show", new ModelRequest(model, null)), timeout, ShowResponse.class);
    }

    /**
     * GET /api/ps asynchronously: the models in memory (a model being loaded is listed too). Completes exceptionally
     * with an {@link OllamaException} for an error answer, with the I/O failure otherwise.
     */
    public CompletableFuture<List<PsResponse.Model>> psAsync(Duration timeout) {
        return readAsync(new Request.Builder().url(base.resolve("api/ps")).get().build(), timeout, PsResponse.class)
                .thenApply(ps -> ps.models() == null ? List.<PsResponse.Model>of() : ps.models());
    }

    /**
     * A call whose answer is read as {@code type}: exceptionally with an {@link OllamaException} for an error answer,
     * with the I/O or parse failure otherwise.
     */
    private <T> CompletableFuture<T> readAsync(Request request, Duration timeout, Class<T> type) {
        return enqueue(request, timeout).thenApply(reply -> {
            if (reply.code() < 200 || reply.code() > 299) {
                throw new java.util.concurrent.CompletionException(OllamaException.fromReply(reply.code(), reply.body()));
            }
            try {
                return JSON.readValue(reply.body(), type);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    /**
     * POST /api/chat with stream:false, asynchronously. The future completes with whatever came back (any status
     * code) or exceptionally with the I/O failure; the caller classifies. {@code timeout} bounds the whole call.
     */
    public CompletableFuture<HttpReply> chat(ChatRequest chat, Duration timeout) {
        return enqueue(post("api/chat", chat), timeout);
    }

    /**
     * Warm-up: POST /api/chat with {@code "messages": []}, which makes Ollama load the model and answer
     * {@code done_reason: "load"} (at once when it is loaded already). {@code keepAlive} is the LocalModel's value
     * ({@code 5m}, {@code -1}; null leaves the server's). Ollama aborts a load when its client disconnects, so
     * {@code timeout} must cover the whole load. Completes like {@link #chat}; parse with {@link ChatResponse#parse}.
     */
    public CompletableFuture<HttpReply> load(String model, String keepAlive, Duration timeout) {
        return enqueue(post("api/chat", ChatRequest.warmUp(model, keepAlive)), timeout);
    }

    /**
     * Warm-up of an embedding-only model, which refuses {@code /api/chat} (400 before any load): POST /api/embed with
     * an empty input, which Ollama answers after loading with {@code "embeddings": []} ({@code EmbedHandler}).
     * Completes like {@link #chat}; success is HTTP 200.
     */
    public CompletableFuture<HttpReply> loadEmbedding(String model, String keepAlive, Duration timeout) {
        return enqueue(post("api/embed", new EmbedRequest(model, "", KeepAlive.requestValue(keepAlive))), timeout);
    }

    /**
     * POST /api/embed with one input text, asynchronously; completes like {@link #chat} (parse with
     * {@link EmbedResponse#parse}). Loads the model first when it is not loaded, as every request does.
     */
    public CompletableFuture<HttpReply> embed(String model, String input, Duration timeout) {
        return enqueue(post("api/embed", new EmbedRequest(model, input, null)), timeout);
    }

    /**
     * GET /: Ollama's HTTP server answers {@code Ollama is running} however busy its models are, so this tells a
     * busy server from a dead one. True on 200 within {@code timeout}; false on any other answer or failure.
     */
    public CompletableFuture<Boolean> alive(Duration timeout) {
        return enqueue(new Request.Builder().url(base).get().build(), timeout)
                .handle((reply, failure) -> failure == null && reply.code() == 200);
    }

    private CompletableFuture<HttpReply> enqueue(Request request, Duration timeout) {
        Call call = http.newCall(request);
        call.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<HttpReply> future = new CompletableFuture<>();
        long start = System.nanoTime();
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    String body = bodyOf(response);
                    future.complete(new HttpReply(response.code(), body, System.nanoTime() - start));
                } catch (IOException | RuntimeException e) {
                    future.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Call c, IOException e) {
                future.completeExceptionally(e);
            }
        });
        future.whenComplete((r, e) -> {
            if (future.isCancelled()) {
                call.cancel();
            }
        });
        return future;
    }

    /**
     * POST /api/pull with stream:true. Calls {@code onLine} for each NDJSON progress line and returns after the
     * terminal {@code success} line; an {@code {"error":…}} line (which arrives inside HTTP 200) or a stream that
     * ends without success throws.
     */
    public void pull(String model, Consumer<PullLine> onLine) throws IOException {
        Call call = http.newCall(post("api/pull", new ModelRequest(model, true)));
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                throw OllamaException.fromReply(response.code(), bodyOf(response));
            }
            BufferedSource source = response.body().source();
            String line;
            while ((line = source.readUtf8Line()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                PullLine progress = parseLine(line);
                if (progress.error() != null) {
                    throw new OllamaException(response.code(), progress.error());
                }
                onLine.accept(progress);
                if (progress.isSuccess()) {
                    return;
                }
            }
            throw new OllamaException(response.code(), "pull stream ended before success");
        }
    }

    private static PullLine parseLine(String line) throws OllamaException {
        try {
            return JSON.readValue(line, PullLine.class);
        } catch (IOException e) {
            throw new OllamaException(200, "malformed pull progress line: " + abbreviate(line));
        }
    }

    private <T> T get(String path, Class<T> type) throws IOException {
        Request request = new Request.Builder().url(base.resolve(path)).get().build();
        try (Response response = http.newCall(request).execute()) {
            String body = bodyOf(response);
            if (!response.isSuccessful()) {
                throw OllamaException.fromReply(response.code(), body);
            }
            try {
                return JSON.readValue(body, type);
            } catch (IOException e) {
                throw new OllamaException(response.code(), "malformed answer from " + path + ": " + abbreviate(body));
            }
        }
    }

    private Request post(String path, Object payload) {
        try {
            byte[] json = JSON.writeValueAsBytes(payload);
            return new Request.Builder().url(base.resolve(path)).post(RequestBody.create(json, JSON_TYPE)).build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize " + payload.getClass().getSimpleName(), e);
        }
    }

    private static String bodyOf(Response response) throws IOException {
        ResponseBody body = response.body();
        return body == null ? "" : body.string();
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
