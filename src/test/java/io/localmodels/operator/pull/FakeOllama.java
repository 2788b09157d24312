package io.localmodels.operator.pull;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/** An Ollama server for MockWebServer: {@code /api/tags} from a model list, {@code /api/pull} as test-fed streams. */
final class FakeOllama extends Dispatcher {

    private final Map<String, String> disk = new ConcurrentHashMap<>();
    private final List<PullStream> pulls = new CopyOnWriteArrayList<>();
    private final AtomicInteger tagsRequests = new AtomicInteger();
    private final AtomicInteger pullRequests = new AtomicInteger();
    private volatile MockResponse pullAnswer;

    /** Puts a model on the fake's disk, as {@code /api/tags} lists it. */
    void addModel(String name, String hexDigest, long size) {
        disk.put(name, "{\"name\":\"" + name + "\",\"model\":\"" + name + "\",\"modified_at\":\"2026-01-01T00:00:00Z\","
                + "\"size\":" + size + ",\"digest\":\"" + hexDigest + "\",\"details\":{\"format\":\"gguf\","
                + "\"family\":\"qwen3\",\"parameter_size\":\"30.5B\",\"quantization_level\":\"Q4_K_M\"}}");
    }

    /** From now on /api/pull answers this instead of a stream. */
    void answerPullsWith(MockResponse answer) {
        pullAnswer = answer;
    }

    int pullRequests() {
        return pullRequests.get();
    }

    int tagsRequests() {
        return tagsRequests.get();
    }

    /** The {@code index}-th pull stream (0-based), once the puller asked for it. */
    PullStream awaitPull(int index) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pulls.size() > index);
        return pulls.get(index);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if ("GET".equals(request.getMethod()) && path.equals("/api/tags")) {
            tagsRequests.incrementAndGet();
            String models = disk.values().stream().collect(Collectors.joining(","));
            return new MockResponse.Builder().setHeader("Content-Type", "application/json")
                    .body("{\"models\":[" + models + "]}").build();
        }
        if ("POST".equals(request.getMethod()) && path.equals("/api/pull")) {
            pullRequests.incrementAndGet();
            MockResponse fixed = pullAnswer;
            if (fixed != null) {
                return fixed;
            }
            String body = request.getBody() == null ? "" : request.getBody().utf8();
            PullStream stream = new PullStream(body);
            pulls.add(stream);
            return stream.response();
        }
        return new MockResponse.Builder().code(404).body("404 page not found").build();
    }

    /** Releases every stream still waiting for lines, so the server can shut down. */
    @Override
    public void close() {
        pulls.forEach(PullStream::cut);
    }
}
