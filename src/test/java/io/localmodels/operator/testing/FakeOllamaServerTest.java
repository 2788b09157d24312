package io.localmodels.operator.testing;

import io.localmodels.operator.ollama.ChatRequest;
import io.localmodels.operator.ollama.OllamaClient;
import io.localmodels.operator.ollama.PullLine;
import mockwebserver3.MockResponse;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The socket server serves the fake's answers as MockWebServer does, and the fake keeps Ollama's scheduling rules. */
class FakeOllamaServerTest {

    private static final OkHttpClient HTTP = OllamaClient.newHttpClient(8);
    private static final String MODEL = "qwen3:30b";

    private final FakeOllama ollama = new FakeOllama().addModel(MODEL, "a".repeat(64), 1000);
    private final FakeOllamaServer server = FakeOllamaServer.serving(ollama);
    private final OllamaClient client = new OllamaClient(HTTP, server.url("/").toString());

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private String post(String path, String json) throws IOException {
        Request request = new Request.Builder().url(server.url(path))
                .post(RequestBody.create(json, MediaType.get("application/json"))).build();
        try (Response response = HTTP.newCall(request).execute()) {
            return response.code() + " " + response.body().string();
        }
    }

    @Test
    void aStreamedPullArrivesLineByLineInChunks() throws Exception {
        List<PullLine> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> pull = CompletableFuture.runAsync(() -> {
            try {
                client.pull(MODEL, seen::add);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        PullStream stream = ollama.awaitPull(0);
        stream.manifest().layer("c".repeat(64), 1000, 500);
        await().until(() -> seen.size() == 2);
        stream.succeed();

        pull.get(10, TimeUnit.SECONDS);
        assertThat(seen).extracting(PullLine::status).containsExactly("pulling manifest", "pulling cccccccccccc",
                "verifying sha256 digest", "writing manifest", "success");
        assertThat(stream.requestBody()).contains("\"stream\":true");
        assertThat(server.failures()).isEmpty();
    }

    @Test
    void requestsShareOneKeptAliveConnection() throws Exception {
        assertThat(client.version()).isEqualTo("0.12.6");
        assertThat(client.tags()).hasSize(1);
        assertThat(client.ps()).isEmpty();

        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void aChunkedRequestBodyIsRead() throws Exception {
        RequestBody chunked = new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("application/json");
            }

            @Override
            public long contentLength() {
                return -1; // okhttp sends it chunked
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8("{\"model\":\"qwen3:30b\",").flush();
                sink.writeUtf8("\"messages\":[]}");
            }
        };
        try (Response response = HTTP.newCall(new Request.Builder().url(server.url("/api/chat")).post(chunked).build())
                .execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).contains("\"done_reason\":\"load\"");
        }
    }

    @Test
    void aStalledAnswerNeverComesAndTheClientsTimeoutEndsIt() {
        ollama.mode(FakeOllama.Mode.STALL);
        ollama.preload(MODEL);

        assertThat(client.chat(ChatRequest.probe(MODEL, "hi", 8, null), Duration.ofMillis(300)))
                .failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(InterruptedIOException.class);
        assertThat(server.failures()).isEmpty();
    }

    @Test
    void anAnswerItCannotServeIsRefusedLoudly() {
        mockwebserver3.Dispatcher throttled = new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                return new MockResponse.Builder().body("slow").throttleBody(1, 10, TimeUnit.MILLISECONDS).build();
            }
        };
        try (FakeOllamaServer other = new FakeOllamaServer(throttled)) {
            OllamaClient slow = new OllamaClient(HTTP, other.url("/").toString());
            assertThatThrownBy(slow::version).isInstanceOf(IOException.class);
            await().until(() -> !other.failures().isEmpty());
            assertThat(other.failures().get(0)).hasMessageContaining("throttleBody");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWarmUpThroughGenerateLoadsAndAWarmUpWithKeepAliveZeroUnloads() throws Exception {
        assertThat(post("/api/generate", "{\"model\":\"qwen3:30b\"}")).startsWith("200 ")
                .contains("\"response\":\"\"").contains("\"done_reason\":\"load\"");
        assertThat(ollama.loaded(MODEL)).isTrue();

        assertThat(post("/api/chat", "{\"model\":\"qwen3:30b\",\"messages\":[],\"keep_alive\":0}"))
                .contains("\"done_reason\":\"unload\"");
        assertThat(ollama.loaded(MODEL)).isFalse();
        assertThat(ollama.loads()).extracting(LoadEvent::kind)
                .containsExactly(LoadEvent.Kind.STARTED, LoadEvent.Kind.COMPLETED, LoadEvent.Kind.UNLOADED);
    }

    @Test
    void aSecondRequestWaitsForTheLoadInFlightInsteadOfStartingAnother() throws Exception {
        ollama.model(MODEL).loadTime(Duration.ofMillis(500));

        CompletableFuture<?> first = client.load(MODEL, null, Duration.ofSeconds(30));
        await().until(() -> !ollama.loads(MODEL, LoadEvent.Kind.STARTED).isEmpty());
        assertThat(client.ps()).as("Ollama lists a model while it loads").hasSize(1);
        CompletableFuture<?> second = client.chat(ChatRequest.probe(MODEL, "hi", 8, null), Duration.ofSeconds(30));

        CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
        assertThat(ollama.loads()).extracting(LoadEvent::kind)
                .containsExactly(LoadEvent.Kind.STARTED, LoadEvent.Kind.COMPLETED);
    }

    @Test
    void numParallelSlotsServeAtOnceAndEmbeddingModelsHaveOne() {
        ollama.numParallel(2).preload(MODEL);
        SlotHold first = ollama.holdSlot(MODEL);
        SlotHold second = ollama.holdSlot(MODEL);
        assertThatThrownBy(() -> ollama.holdSlot(MODEL)).hasMessageContaining("every slot");
        first.release();
        second.close();

        ollama.model("bge-m3").capabilities("embedding");
        ollama.holdSlot("bge-m3");
        assertThatThrownBy(() -> ollama.holdSlot("bge-m3")).hasMessageContaining("every slot");
    }

    @Test
    void showAnswersEachModelsFamilyAndCapabilities() throws Exception {
        ollama.model("gpt-oss:20b").family("gptoss").capabilities("completion", "tools", "thinking")
                .contextLength(131072);

        assertThat(client.show("gpt-oss:20b").family()).isEqualTo("gptoss");
        assertThat(client.show("gpt-oss:20b").canThink()).isTrue();
        assertThat(client.show("gpt-oss:20b").contextLength()).isEqualTo(131072);
        assertThat(client.show(MODEL).capabilities()).containsExactly("completion");
    }

    @Test
    void anySpellingOfAReferenceIsOneModelListedInItsShortestForm() throws Exception {
        ollama.addModel("registry.ollama.ai/library/llama3.2", "d".repeat(64), 2000).onlyModelsOnDisk();

        assertThat(client.load("library/llama3.2:latest", "5m", Duration.ofSeconds(30)).join().code()).isEqualTo(200);

        assertThat(ollama.loaded("llama3.2")).isTrue();
        assertThat(client.ps()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("llama3.2:latest");
            assertThat(m.size()).isEqualTo(2000);
        });
        assertThat(ollama.loads("registry.ollama.ai/library/llama3.2:latest", LoadEvent.Kind.COMPLETED)).hasSize(1);
    }

    @Test
    void keepAliveIsReadAsOllamaReadsIt() {
        assertThat(KeepAliveField.goDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(KeepAliveField.goDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(KeepAliveField.goDuration("-1m")).isNegative();
        assertThat(KeepAliveField.goDuration("0")).isZero();
        assertThatThrownBy(() -> KeepAliveField.goDuration("-1")).hasMessage("time: missing unit in duration \"-1\"");
        assertThatThrownBy(() -> KeepAliveField.goDuration("forever")).hasMessage("time: invalid duration \"forever\"");
    }
}
