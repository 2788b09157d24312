package io.localmodels.operator.ollama;

import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.FakeOllamaServer;
import io.localmodels.operator.testing.LoadEvent;
import io.localmodels.operator.testing.OllamaAnswers;
import io.localmodels.operator.testing.SlotHold;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.localmodels.operator.testing.LoadEvent.Kind.ABORTED;
import static io.localmodels.operator.testing.LoadEvent.Kind.COMPLETED;
import static io.localmodels.operator.testing.LoadEvent.Kind.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Ollama calls the load, busy and embedding steps rely on, against the fake over a disconnect-aware server. */
class OllamaCallsTest {

    private static final OkHttpClient HTTP = OllamaClient.newHttpClient(8);
    private static final String MODEL = "qwen3:30b";
    private static final String EMBEDDER = "nomic-embed-text:latest";

    private final FakeOllama ollama = new FakeOllama()
            .addModel(MODEL, "a".repeat(64), 18_556_688_736L)
            .addModel(EMBEDDER, "b".repeat(64), 274_302_450L)
            .onlyModelsOnDisk();
    private final FakeOllamaServer server = FakeOllamaServer.serving(ollama);
    private final OllamaClient client = new OllamaClient(HTTP, server.url("/").toString());

    @AfterEach
    void stop() throws IOException {
        server.close();
        assertThat(server.failures()).isEmpty();
    }

    private static ChatRequest probe(String model) {
        return ChatRequest.probe(model, "Reply with the single word OK.", 64, Boolean.FALSE);
    }

    @Test
    void aLoadWhoseClientTimesOutIsAbortedAndTheModelStaysUnloaded() throws Exception {
        ollama.model(MODEL).loadTime(Duration.ofMinutes(5));
        client.ps(); // a cold client (class loading, connecting) must not spend the timeout before the request is sent

        CompletableFuture<HttpReply> load = client.load(MODEL, "-1", Duration.ofSeconds(1));

        assertThat(load).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
                .isInstanceOf(InterruptedIOException.class);
        await().until(() -> !ollama.loads(MODEL, ABORTED).isEmpty());
        assertThat(ollama.loads()).extracting(LoadEvent::kind).containsExactly(STARTED, ABORTED);
        assertThat(ollama.loaded(MODEL)).isFalse();
        assertThat(client.ps()).as("an aborted load leaves nothing in memory").isEmpty();
    }

    @Test
    void aLoadUnderALongEnoughTimeoutCompletesAndTheModelIsListedAsLoaded() throws Exception {
        ollama.model(MODEL).loadTime(Duration.ofMillis(300)).vramShare(0.6);

        HttpReply reply = client.load(MODEL, "-1", Duration.ofSeconds(30)).join();

        assertThat(reply.code()).isEqualTo(200);
        ChatResponse answer = ChatResponse.parse(reply.body());
        assertThat(answer.isLoadReply()).isTrue();
        assertThat(answer.content()).isEmpty();
        assertThat(ollama.loads()).extracting(LoadEvent::kind).containsExactly(STARTED, COMPLETED);
        assertThat(ollama.loads(MODEL, COMPLETED).get(0).after()).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        List<PsResponse.Model> ps = client.ps();
        assertThat(ps).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo(MODEL);
            assertThat(m.size()).isEqualTo(18_556_688_736L);
            assertThat(m.vramShare()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(m.contextLength()).isEqualTo(40960);
            // keep_alive -1 (sent as a number): loaded for good
            assertThat(m.expiry()).isAfter(java.time.Instant.parse("2200-01-01T00:00:00Z"));
        });
    }

    @Test
    void theFirstAnswerAfterALoadCarriesTheLoadTimeAndLaterOnesDoNot() throws Exception {
        ollama.model(MODEL).loadTime(Duration.ofMillis(200));

        ChatResponse first = ChatResponse.parse(client.chat(probe(MODEL), Duration.ofSeconds(30)).join().body());
        ChatResponse second = ChatResponse.parse(client.chat(probe(MODEL), Duration.ofSeconds(30)).join().body());

        assertThat(first.loadDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(second.loadDuration()).isPositive().isLessThan(Duration.ofMillis(200).toNanos());
        assertThat(second.content()).isEqualTo("OK");
        assertThat(second.totalDuration()).isEqualTo(second.loadDuration() + second.promptEvalDuration()
                + second.evalDuration() + second.queueNanos());

        ollama.unload(MODEL); // evicted behind the operator's back
        assertThat(client.ps()).isEmpty();
        ChatResponse reloaded = ChatResponse.parse(client.chat(probe(MODEL), Duration.ofSeconds(30)).join().body());
        assertThat(reloaded.loadDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    }

    @Test
    void aProbeWaitsBehindAHeldSlotWhileTheServerStillAnswersAndFinishesWhenItIsReleased() throws Exception {
        ollama.preload(MODEL);
        SlotHold user = ollama.holdSlot(MODEL);

        CompletableFuture<HttpReply> probe = client.chat(probe(MODEL), Duration.ofSeconds(30));
        await().until(() -> ollama.model(MODEL).waitingForSlot() == 1);

        assertThat(client.alive(Duration.ofSeconds(2)).join()).as("GET / answers while the slot is taken").isTrue();
        assertThat(client.ps()).extracting(PsResponse.Model::name).containsExactly(MODEL);
        assertThat(probe).isNotDone();

        user.release();
        HttpReply reply = probe.join();
        assertThat(reply.code()).isEqualTo(200);
        ChatResponse answer = ChatResponse.parse(reply.body());
        assertThat(answer.queueNanos()).as("the wait for the slot is in total_duration").isPositive();
        assertThat(answer.queueNanos()).isLessThan(Duration.ofNanos(reply.elapsedNanos()).toNanos());
    }

    @Test
    void aProbeThatGivesUpWaitingForASlotLeavesTheSlotToTheNextRequest() throws Exception {
        ollama.preload(MODEL);
        SlotHold user = ollama.holdSlot(MODEL);

        assertThat(client.chat(probe(MODEL), Duration.ofMillis(300))).failsWithin(Duration.ofSeconds(10));
        await().until(() -> ollama.model(MODEL).waitingForSlot() == 0);
        user.release();

        assertThat(client.chat(probe(MODEL), Duration.ofSeconds(30)).join().code()).isEqualTo(200);
        assertThat(ollama.loads(MODEL, ABORTED)).isEmpty();
    }

    @Test
    void anEmbeddingModelAnswersEmbedWithAVector() throws Exception {
        ollama.model(EMBEDDER).capabilities("embedding").family("nomic-bert").dimensions(768)
                .loadTime(Duration.ofMillis(100));

        HttpReply reply = client.embed(EMBEDDER, "health probe", Duration.ofSeconds(30)).join();

        assertThat(reply.code()).isEqualTo(200);
        EmbedResponse answer = EmbedResponse.parse(reply.body());
        assertThat(answer.model()).isEqualTo(EMBEDDER);
        assertThat(answer.hasVector()).isTrue();
        assertThat(answer.embeddings()).singleElement().satisfies(v -> assertThat(v).hasSize(768));
        assertThat(answer.loadDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(answer.totalDuration()).isGreaterThan(answer.loadDuration());
        assertThat(answer.promptEvalCount()).isEqualTo(2);

        ShowResponse show = client.show(EMBEDDER);
        assertThat(show.embedsOnly()).isTrue();
        assertThat(show.family()).isEqualTo("nomic-bert");
    }

    @Test
    void chatToAnEmbeddingModelGetsOllamasRefusalAndLoadsNothing() {
        ollama.model(EMBEDDER).capabilities("embedding");

        HttpReply probe = client.chat(probe(EMBEDDER), Duration.ofSeconds(5)).join();
        HttpReply warmUp = client.load(EMBEDDER, "5m", Duration.ofSeconds(5)).join();

        for (HttpReply reply : List.of(probe, warmUp)) {
            assertThat(reply.code()).isEqualTo(400);
            assertThat(OllamaException.errorText(reply.body())).isEqualTo("\"nomic-embed-text:latest\" does not support chat");
        }
        assertThat(ollama.loads()).isEmpty();
    }

    @Test
    void anEmbeddingModelIsWarmedUpThroughEmbedWithAnEmptyInput() throws Exception {
        ollama.model(EMBEDDER).capabilities("embedding");

        HttpReply reply = client.loadEmbedding(EMBEDDER, "-1", Duration.ofSeconds(30)).join();

        assertThat(reply.code()).isEqualTo(200);
        assertThat(EmbedResponse.parse(reply.body()).embeddings()).isEmpty();
        assertThat(ollama.loaded(EMBEDDER)).isTrue();
        assertThat(ollama.embeds()).isEqualTo(1);
        assertThat(ollama.chats()).isZero();
    }

    @Test
    void aFailedLoadIsOllamasErrorAndLeavesTheModelUnloaded() {
        String oom = "model requires more system memory (21.5 GiB) than is available (15.2 GiB)";
        ollama.model(MODEL).loadFailure(oom);

        HttpReply reply = client.load(MODEL, null, Duration.ofSeconds(30)).join();

        assertThat(reply.code()).isEqualTo(500);
        assertThat(OllamaException.errorText(reply.body())).isEqualTo(oom);
        assertThat(ollama.loaded(MODEL)).isFalse();
        assertThat(ollama.loads(MODEL, LoadEvent.Kind.FAILED)).hasSize(1);
    }

    @Test
    void aModelNotOnDiskIsOllamasNotFound() {
        HttpReply reply = client.load("llama3.2", "5m", Duration.ofSeconds(5)).join();

        assertThat(reply.code()).isEqualTo(404);
        assertThat(OllamaException.errorText(reply.body())).isEqualTo("model 'llama3.2' not found");
    }

    @Test
    void aliveIsFalseWhenNothingAnswers() throws Exception {
        OllamaClient gone = new OllamaClient(HTTP, OllamaAnswers.refusingUrl());

        assertThat(gone.alive(Duration.ofSeconds(2)).join()).isFalse();
        assertThat(client.alive(Duration.ofSeconds(2)).join()).isTrue();
    }

    @Test
    void keepAliveTravelsAsSecondsOrAsAGoDuration() throws Exception {
        // Ollama reads a JSON string as a Go duration: "-1" as a string would be a 400
        assertThat(OllamaClient.JSON.writeValueAsString(ChatRequest.warmUp(MODEL, "-1")))
                .isEqualTo("{\"model\":\"qwen3:30b\",\"messages\":[],\"stream\":false,\"keep_alive\":-1}");
        assertThat(OllamaClient.JSON.writeValueAsString(new EmbedRequest(EMBEDDER, "x", KeepAlive.requestValue("1h30m"))))
                .contains("\"keep_alive\":\"1h30m\"");
        assertThat(OllamaClient.JSON.writeValueAsString(ChatRequest.warmUp(MODEL, "3600")))
                .contains("\"keep_alive\":3600");
        assertThat(KeepAlive.requestValue(null)).isNull();

        // and the fake answers like the server when the operator gets it wrong
        okhttp3.Request wrong = new okhttp3.Request.Builder().url(server.url("/api/chat"))
                .post(okhttp3.RequestBody.create("{\"model\":\"qwen3:30b\",\"messages\":[],\"keep_alive\":\"-1\"}",
                        okhttp3.MediaType.get("application/json"))).build();
        try (okhttp3.Response response = HTTP.newCall(wrong).execute()) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(OllamaException.errorText(response.body().string()))
                    .isEqualTo("time: missing unit in duration \"-1\"");
        }
    }
}
