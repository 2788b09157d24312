package io.localmodels.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.localmodels.operator.ollama.ModelName;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * An Ollama server for MockWebServer or {@link FakeOllamaServer}, shaped like the real one (see ollama-api.md, the
 * 0.12.6 section): {@code /api/tags} lists the models on its "disk", {@code /api/pull} answers with streams the test
 * feeds line by line, {@code /api/chat} answers, fails or stalls as the test switches it, {@code /api/show} reports
 * each model's capabilities and family.
 * <p>Models load and run as Ollama's scheduler has them ({@link FakeModel}): the first request to a model that is not
 * loaded (chat, generate, embed, or a warm-up with no messages) waits for its load time; a load is aborted when the
 * client that started it disconnects, which only {@link FakeOllamaServer} can tell (under MockWebServer every load
 * completes); a loaded model has {@link #numParallel} slots, a request beyond them waits without limit (no 503);
 * {@code /api/ps} lists what is in memory. Loads are journaled ({@link #loads()}).
 * <p>Differences from Ollama kept on purpose: a model not on the disk answers as if it were (older tests chat to
 * models they never added) unless {@link #onlyModelsOnDisk()}; answers are {@code stream:false}-shaped whatever the
 * request says; keep-alive never expires by itself ({@link #unload}); {@code think} is not checked; a request that
 * waited for another's aborted load starts a load of its own; {@code context_length} in {@code /api/ps} is the
 * trained one unless {@link #contextLength} (OLLAMA_CONTEXT_LENGTH) is set, where 0.12.6 would use 4096.
 */
public final class FakeOllama extends Dispatcher {

    /** How chats with messages (and generates with a prompt) are answered; warm-ups load as the model says. */
    public enum Mode { ANSWER, FAIL, STALL }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEFAULT_SIZE = 1L << 30;

    private final Map<String, String> disk = new ConcurrentHashMap<>();
    private final Map<String, Long> sizes = new ConcurrentHashMap<>();   // by ModelName.key: what is on disk
    private final Map<String, FakeModel> models = new ConcurrentHashMap<>();
    private final List<LoadEvent> journal = new CopyOnWriteArrayList<>();
    private final AtomicLong warmUps = new AtomicLong();
    private final AtomicLong embeds = new AtomicLong();
    private volatile int numParallel = 1;
    private volatile Duration keepAlive = Duration.ofMinutes(5);
    private volatile int contextLength;
    private volatile boolean onlyModelsOnDisk;
    private volatile Clock clock = Clock.systemUTC();
    private final List<PullStream> pulls = new CopyOnWriteArrayList<>();
    private final AtomicInteger tagsRequests = new AtomicInteger();
    private final AtomicInteger pullRequests = new AtomicInteger();
    private final AtomicLong chats = new AtomicLong();
    private volatile MockResponse pullAnswer;
    private volatile Mode mode = Mode.ANSWER;
    private volatile List<String> capabilities = List.of("completion");

    /**
     * Puts a model on the fake's disk under any reference a pull accepts ({@code qwen3},
     * {@code registry.ollama.ai/library/qwen3:30b}); like Ollama it keeps one manifest per host/namespace/model/tag
     * and lists it in the shortest form ({@code DisplayShortest}), so the reference a spec names is not always
     * the name {@code /api/tags} shows.
     */
    public FakeOllama addModel(String reference, String hexDigest, long size) {
        ModelName manifest = ModelName.parse(reference);
        String name = manifest.displayShortest();
        disk.put(manifest.host() + "/" + manifest.namespace() + "/" + manifest.model() + "/" + manifest.tag(),
                "{\"name\":\"" + name + "\",\"model\":\"" + name + "\",\"modified_at\":\"2026-01-01T00:00:00Z\","
                + "\"size\":" + size + ",\"digest\":\"" + hexDigest + "\",\"details\":{\"format\":\"gguf\","
                + "\"family\":\"qwen3\",\"parameter_size\":\"30.5B\",\"quantization_level\":\"Q4_K_M\"}}");
        sizes.put(ModelName.key(reference), size);
        return this;
    }

    /** From now on /api/pull answers this instead of a stream. */
    public void answerPullsWith(MockResponse answer) {
        pullAnswer = answer;
    }

    public void mode(Mode next) {
        this.mode = next;
    }

    /** The capabilities of every model that was not given its own ({@link FakeModel#capabilities}). */
    public void capabilities(String... caps) {
        this.capabilities = List.of(caps);
    }

    /**
     * The settings and runner state of one model, made on first use; any spelling of a reference is the same model
     * ({@code qwen3} is {@code qwen3:latest}), named in its shortest form as {@code /api/ps} lists it.
     */
    public FakeModel model(String name) {
        return models.computeIfAbsent(ModelName.key(name),
                key -> new FakeModel(ModelName.parse(name).displayShortest(), this));
    }

    /** OLLAMA_NUM_PARALLEL: slots per loaded model, from its next load on (1, as Ollama's default). */
    public FakeOllama numParallel(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("numParallel must be at least 1, was " + slots);
        }
        this.numParallel = slots;
        return this;
    }

    /** OLLAMA_KEEP_ALIVE, for {@code expires_at} when a request sends none; negative is forever. 5m unless told. */
    public FakeOllama keepAlive(Duration session) {
        this.keepAlive = session;
        return this;
    }

    /** OLLAMA_CONTEXT_LENGTH: the runner's context in {@code /api/ps}, capped at the trained one; 0 = the trained one. */
    public FakeOllama contextLength(int tokens) {
        this.contextLength = tokens;
        return this;
    }

    /** From now on a model not on the disk answers Ollama's 404, as the real server does. */
    public FakeOllama onlyModelsOnDisk() {
        this.onlyModelsOnDisk = true;
        return this;
    }

    /** The clock of {@code created_at}, {@code expires_at} and the journal's times. */
    public FakeOllama clock(Clock next) {
        this.clock = next;
        return this;
    }

    /** Loads {@code model} at once, as if a user's request had loaded it before the test looks (journaled). */
    public FakeOllama preload(String model) {
        model(model).preload();
        return this;
    }

    /**
     * A long user request takes a slot of {@code model} (loading it at once if needed) until the handle is
     * released, so requests beyond the free slots wait. Throws when every slot is already taken.
     */
    public SlotHold holdSlot(String model) {
        return model(model).hold();
    }

    /** Eviction or keep-alive expiry: {@code model} leaves memory and the next request loads it again. */
    public void unload(String model) {
        model(model).unload();
    }

    public boolean loaded(String model) {
        return model(model).loaded();
    }

    /** The load journal, oldest first. */
    public List<LoadEvent> loads() {
        return List.copyOf(journal);
    }

    /** The load journal entries of one kind, for {@code model}. */
    public List<LoadEvent> loads(String model, LoadEvent.Kind kind) {
        String key = ModelName.key(model);
        return journal.stream().filter(e -> ModelName.key(e.model()).equals(key) && e.kind() == kind).toList();
    }

    /** Warm-ups answered ({@code done_reason: load}). */
    public long warmUps() {
        return warmUps.get();
    }

    /** {@code /api/embed} requests received. */
    public long embeds() {
        return embeds.get();
    }

    List<String> defaultCapabilities() {
        return capabilities;
    }

    int numParallel() {
        return numParallel;
    }

    Duration keepAlive() {
        return keepAlive;
    }

    Instant now() {
        return clock.instant();
    }

    void journal(String model, LoadEvent.Kind kind, Duration after) {
        journal.add(new LoadEvent(model, kind, now(), after));
    }

    public int pullRequests() {
        return pullRequests.get();
    }

    public int tagsRequests() {
        return tagsRequests.get();
    }

    /** Every {@code /api/chat} request received, warm-ups and refused ones included. */
    public long chats() {
        return chats.get();
    }

    /** How many pull streams pullers opened so far. */
    public int pullsStarted() {
        return pulls.size();
    }

    /** The {@code index}-th pull stream (0-based), once a puller asked for it. */
    public PullStream awaitPull(int index) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pulls.size() > index);
        return pulls.get(index);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            return answer(request);
        } catch (InterruptedException e) {
            // the server is shutting down while the request waits for a load or a slot
            Thread.currentThread().interrupt();
            return OllamaAnswers.error(500, "server shutting down");
        }
    }

    private MockResponse answer(RecordedRequest request) throws InterruptedException {
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
        if (("GET".equals(method) || "HEAD".equals(method)) && path.equals("/")) {
            // answered by the HTTP server itself: prompt however busy the models are
            return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain; charset=utf-8")
                    .body("Ollama is running").build();
        }
        if ("GET".equals(method) && path.equals("/api/tags")) {
            tagsRequests.incrementAndGet();
            String models = String.join(",", disk.values());
            return OllamaAnswers.json(200, "{\"models\":[" + models + "]}");
        }
        if ("GET".equals(method) && path.equals("/api/ps")) {
            return OllamaAnswers.json(200, ps());
        }
        if ("GET".equals(method) && path.equals("/api/version")) {
            return OllamaAnswers.json(200, "{\"version\":\"0.12.6\"}");
        }
        if ("POST".equals(method) && path.equals("/api/pull")) {
            pullRequests.incrementAndGet();
            MockResponse fixed = pullAnswer;
            if (fixed != null) {
                return fixed;
            }
            PullStream stream = new PullStream(request.getBody() == null ? "" : request.getBody().utf8());
            pulls.add(stream);
            return stream.response();
        }
        if ("POST".equals(method) && path.equals("/api/show")) {
            return show(request);
        }
        if ("POST".equals(method) && path.equals("/api/chat")) {
            chats.incrementAndGet();
            return new Inference(this, request).chat();
        }
        if ("POST".equals(method) && path.equals("/api/generate")) {
            return new Inference(this, request).generate();
        }
        if ("POST".equals(method) && path.equals("/api/embed")) {
            embeds.incrementAndGet();
            return new Inference(this, request).embed();
        }
        return new MockResponse.Builder().code(404).body("404 page not found").build();
    }

    private MockResponse show(RecordedRequest request) {
        JsonNode body = body(request);
        String name = body == null ? "" : body.path("model").asText(body.path("name").asText(""));
        if (onlyModelsOnDisk && !onDisk(name)) {
            return OllamaAnswers.errorMessage(404, "model '" + name + "' not found");
        }
        FakeModel model = model(name);
        return OllamaAnswers.show(model.family(), model.contextLength(), model.capabilities());
    }

    /** Loaded models (and loads in flight, as Ollama lists them), the longest to live first. */
    private String ps() {
        List<String> entries = new ArrayList<>();
        models.values().stream().filter(FakeModel::inMemory)
                .sorted(Comparator.comparing(FakeModel::expiresAt).reversed())
                .forEach(m -> {
                    long size = sizes.getOrDefault(ModelName.key(m.name()), DEFAULT_SIZE);
                    int context = contextLength > 0 ? Math.min(contextLength, m.contextLength()) : m.contextLength();
                    entries.add("{\"name\":\"" + m.name() + "\",\"model\":\"" + m.name() + "\",\"size\":" + size
                            + ",\"digest\":\"" + "0".repeat(64) + "\",\"details\":{\"format\":\"gguf\",\"family\":\""
                            + m.family() + "\"},\"expires_at\":\"" + m.expiresAt() + "\",\"size_vram\":"
                            + Math.round(size * m.vramShare()) + ",\"context_length\":" + context + "}");
                });
        return "{\"models\":[" + String.join(",", entries) + "]}";
    }

    boolean onDisk(String name) {
        return sizes.containsKey(ModelName.key(name));
    }

    boolean onlyModelsOnDiskAnswer() {
        return onlyModelsOnDisk;
    }

    Mode mode() {
        return mode;
    }

    long chatCount() {
        return chats.get();
    }

    void warmedUp() {
        warmUps.incrementAndGet();
    }

    static JsonNode body(RecordedRequest request) {
        try {
            return request.getBody() == null || request.getBody().size() == 0 ? null
                    : JSON.readTree(request.getBody().utf8());
        } catch (IOException e) {
            return null;
        }
    }

    /** Releases every stream still waiting for lines, so the server can shut down. */
    @Override
    public void close() {
        pulls.forEach(PullStream::cut);
    }

    /** The manifests on the fake's disk, as host/namespace/model/tag paths. */
    public String disk() {
        return disk.keySet().stream().sorted().collect(Collectors.joining(","));
    }
}
