package io.localmodels.operator.testing;

import io.localmodels.operator.ollama.ModelName;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * An Ollama server for MockWebServer, shaped like the real one (see ollama-api.md): {@code /api/tags} lists the
 * models on its "disk", {@code /api/pull} answers with streams the test feeds line by line, {@code /api/chat}
 * answers, fails or stalls as the test switches it, {@code /api/show} reports capabilities.
 */
public final class FakeOllama extends Dispatcher {

    /** How chat calls are answered. */
    public enum Mode { ANSWER, FAIL, STALL }

    private final Map<String, String> disk = new ConcurrentHashMap<>();
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
        return this;
    }

    /** From now on /api/pull answers this instead of a stream. */
    public void answerPullsWith(MockResponse answer) {
        pullAnswer = answer;
    }

    public void mode(Mode next) {
        this.mode = next;
    }

    public void capabilities(String... caps) {
        this.capabilities = List.of(caps);
    }

    public int pullRequests() {
        return pullRequests.get();
    }

    public int tagsRequests() {
        return tagsRequests.get();
    }

    public long chats() {
        return chats.get();
    }

    /** The {@code index}-th pull stream (0-based), once a puller asked for it. */
    public PullStream awaitPull(int index) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pulls.size() > index);
        return pulls.get(index);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
        if ("GET".equals(method) && path.equals("/api/tags")) {
            tagsRequests.incrementAndGet();
            String models = String.join(",", disk.values());
            return OllamaAnswers.json(200, "{\"models\":[" + models + "]}");
        }
        if ("GET".equals(method) && path.equals("/api/ps")) {
            return OllamaAnswers.json(200, "{\"models\":[]}");   // nothing loaded in memory
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
            return OllamaAnswers.show(capabilities.toArray(String[]::new));
        }
        if ("POST".equals(method) && path.equals("/api/chat")) {
            chats.incrementAndGet();
            return switch (mode) {
                case ANSWER -> OllamaAnswers.chat("m", "OK", 10 + chats.get() % 7, 500_000_000L);
                case FAIL -> OllamaAnswers.error(500, "llama runner process has terminated");
                case STALL -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
            };
        }
        return new MockResponse.Builder().code(404).body("404 page not found").build();
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
