package io.localmodels.operator.pull;

import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.MutableClock;
import io.localmodels.operator.testing.PullStream;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.ollama.OllamaClient;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ModelPullerTest {

    private static final ResourceID OWNER = new ResourceID("qwen3-30b", "llm");
    private static final String MODEL = "qwen3:30b";
    private static final String WEIGHTS = "8eeb52dfb3bb9aefdf9d1ef24b3bdbcfbe82238798c4b918278320b6fcef18fe";
    private static final String TEMPLATE = "3a8e2b4f0c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f";
    private static final String MANIFEST_DIGEST = "58d0ef6b1a2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d0e1f2a";
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<ResourceID> notices = new CopyOnWriteArrayList<>();
    private final List<ModelPuller> pullers = new ArrayList<>();
    private final OkHttpClient http = OllamaClient.newHttpClient(16);
    private final FakeOllama ollama = new FakeOllama();
    private MockWebServer server;

    @BeforeEach
    void startOllama() throws IOException {
        server = new MockWebServer();
        server.setDispatcher(ollama);
        server.start();
    }

    @AfterEach
    void stop() {
        pullers.forEach(ModelPuller::close);
        ollama.close();
        server.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Test
    void streamsProgressOverTheLayersSeenSoFarThenReadsDigestAndSize() {
        ModelPuller puller = newPuller(Duration.ofSeconds(5));

        assertThat(puller.ensurePulled(OWNER, endpoint(), MODEL)).isEqualTo(new PullState.Checking());
        PullStream stream = ollama.awaitPull(0);
        assertThat(stream.requestBody()).contains("\"model\":\"qwen3:30b\"").contains("\"stream\":true");

        stream.manifest().announce(WEIGHTS, 4_000);
        awaitState(puller, new PullState.Pulling(0, 0, 4_000, "pulling 8eeb52dfb3bb"));

        stream.layer(WEIGHTS, 4_000, 1_000).announce(TEMPLATE, 1_000);
        awaitState(puller, new PullState.Pulling(20, 1_000, 5_000, "pulling 3a8e2b4f0c1d"));

        stream.layer(WEIGHTS, 4_000, 4_000).layer(TEMPLATE, 1_000, 500);
        awaitState(puller, new PullState.Pulling(90, 4_500, 5_000, "pulling 3a8e2b4f0c1d"));

        stream.layer(TEMPLATE, 1_000, 1_000);
        ollama.addModel(MODEL, MANIFEST_DIGEST, 5_000);
        stream.succeed();
        awaitState(puller, new PullState.Present("sha256:" + MANIFEST_DIGEST, 5_000));

        assertThat(ollama.pullRequests()).isEqualTo(1);
        assertThat(ollama.tagsRequests()).as("one look before, one after the pull").isEqualTo(2);
        assertThat(notices).contains(OWNER);
    }

    @Test
    void modelAlreadyOnDiskIsPresentWithoutAnyPull() {
        ollama.addModel(MODEL, MANIFEST_DIGEST, 18_556_688_736L);
        ModelPuller puller = newPuller(Duration.ofSeconds(5));

        puller.ensurePulled(OWNER, endpoint(), MODEL);
        awaitState(puller, new PullState.Present("sha256:" + MANIFEST_DIGEST, 18_556_688_736L));
        puller.ensurePulled(OWNER, endpoint(), MODEL);

        assertThat(ollama.pullRequests()).isZero();
        assertThat(ollama.tagsRequests()).as("Present is remembered, not asked again").isEqualTo(1);
        await().until(() -> notices.equals(List.of(OWNER)));
    }

    @Test
    void aModelWithoutTagIsFoundAsLatestButNotUnderAnotherTag() {
        ollama.addModel("llama3.2:latest", MANIFEST_DIGEST, 2_019_393_189L);
        ollama.addModel("qwen3:30b", WEIGHTS, 18_556_688_736L);
        ModelPuller puller = newPuller(Duration.ofSeconds(5));

        puller.ensurePulled(OWNER, endpoint(), "llama3.2");
        await().until(() -> puller.ensurePulled(OWNER, endpoint(), "llama3.2"),
                state -> state.equals(new PullState.Present("sha256:" + MANIFEST_DIGEST, 2_019_393_189L)));
        assertThat(ollama.pullRequests()).isZero();

        puller.ensurePulled(OWNER, endpoint(), "qwen3");
        assertThat(ollama.awaitPull(0).requestBody()).contains("\"model\":\"qwen3\"");
    }

    @Test
    void aFullyQualifiedReferenceIsFoundUnderTheShortNameTagsLists() {
        String qualified = "registry.ollama.ai/library/qwen3:30b";
        ModelPuller puller = newPuller(Duration.ofSeconds(5));

        puller.ensurePulled(OWNER, endpoint(), qualified);
        PullStream stream = ollama.awaitPull(0);
        assertThat(stream.requestBody()).contains("\"model\":\"" + qualified + "\"");
        ollama.addModel(qualified, MANIFEST_DIGEST, 5_000); // Ollama's /api/tags now says qwen3:30b
        stream.manifest().succeed();

        awaitState(puller, qualified, new PullState.Present("sha256:" + MANIFEST_DIGEST, 5_000));
        assertThat(puller.ensurePulled(OWNER, endpoint(), "library/qwen3:30b"))
                .as("another spelling of the same model shares the pull")
                .isEqualTo(new PullState.Present("sha256:" + MANIFEST_DIGEST, 5_000));
        assertThat(ollama.pullRequests()).isEqualTo(1);
    }

    @Test
    void errorLineInsideHttp200FailsWithItsTextAndRetriesAfterBackoff() {
        ModelPuller puller = newPuller(Duration.ofSeconds(5));
        puller.ensurePulled(OWNER, endpoint(), MODEL);
        PullStream first = ollama.awaitPull(0);
        first.manifest().error("pull model manifest: file does not exist");

        PullState.Failed failed = new PullState.Failed("pull model manifest: file does not exist", 1,
                T0.plusSeconds(10), true);
        awaitState(puller, failed);
        // the start of the pull, then the failure at once although it falls inside the progress period
        await().until(() -> notices.size() == 2);

        clock.advance(Duration.ofSeconds(9));
        assertThat(puller.ensurePulled(OWNER, endpoint(), MODEL)).isEqualTo(failed);
        assertThat(ollama.pullRequests()).as("no retry before retryAt").isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(puller.ensurePulled(OWNER, endpoint(), MODEL)).isEqualTo(new PullState.Checking());
        ollama.awaitPull(1).error("pull model manifest: file does not exist");
        awaitState(puller, new PullState.Failed("pull model manifest: file does not exist", 2,
                T0.plusSeconds(10 + 20), true));
        assertThat(ollama.pullRequests()).isEqualTo(2);
    }

    @Test
    void httpErrorsStreamsWithoutSuccessAndUnreachableServersFail() throws IOException {
        ModelPuller puller = newPuller(Duration.ofSeconds(5));

        puller.ensurePulled(OWNER, endpoint(), "truncated:1b");
        ollama.awaitPull(0).manifest().finish();
        awaitState(puller, "truncated:1b", new PullState.Failed("pull stream ended before success", 1,
                T0.plusSeconds(10), true));

        ollama.answerPullsWith(new MockResponse.Builder().code(500)
                .body("{\"error\":\"write /root/.ollama/models/blobs: no space left on device\"}").build());
        puller.ensurePulled(OWNER, endpoint(), "full-disk:1b");
        awaitState(puller, "full-disk:1b", new PullState.Failed(
                "HTTP 500: write /root/.ollama/models/blobs: no space left on device", 1, T0.plusSeconds(10), true));

        MockWebServer gone = new MockWebServer();
        gone.start();
        String goneEndpoint = gone.url("/").toString();
        gone.close();
        puller.ensurePulled(OWNER, goneEndpoint, MODEL);
        PullState state = await().until(() -> puller.ensurePulled(OWNER, goneEndpoint, MODEL),
                PullState.Failed.class::isInstance);
        assertThat(((PullState.Failed) state).message()).startsWith(goneEndpoint);
        assertThat(((PullState.Failed) state).serverAnswered()).as("nobody answered").isFalse();
    }

    @Test
    void manyConcurrentCallersShareOnePullAndEachOwnerHearsTheEnd() throws Exception {
        ModelPuller puller = newPuller(Duration.ofSeconds(5));
        List<ResourceID> owners = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            owners.add(new ResourceID("model-" + i, "llm"));
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> calls = new ArrayList<>();
        for (ResourceID owner : owners) {
            calls.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < 25; i++) {
                    // one spelling with the tag, one without: the same model to Ollama
                    assertThat(puller.ensurePulled(owner, endpoint(), i % 2 == 0 ? "qwen3" : "qwen3:latest"))
                            .isNotNull();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> call : calls) {
            call.get();
        }
        threads.shutdown();

        PullStream stream = ollama.awaitPull(0);
        stream.manifest().layer(WEIGHTS, 1_000, 1_000);
        ollama.addModel("qwen3:latest", MANIFEST_DIGEST, 1_000);
        stream.succeed();
        for (ResourceID owner : owners) {
            await().until(() -> puller.ensurePulled(owner, endpoint(), "qwen3"), PullState.Present.class::isInstance);
        }

        assertThat(ollama.pullRequests()).isEqualTo(1);
        assertThat(ollama.tagsRequests()).isEqualTo(2);
        await().until(() -> notices.containsAll(owners));
    }

    @Test
    void restartMidPullPullsOnceMoreAndProgressResumesFromThePartialBytes() {
        ModelPuller before = newPuller(Duration.ofSeconds(5));
        before.ensurePulled(OWNER, endpoint(), MODEL);
        PullStream first = ollama.awaitPull(0);
        first.manifest().announce(WEIGHTS, 10_000).layer(WEIGHTS, 10_000, 4_000);
        awaitState(before, new PullState.Pulling(40, 4_000, 10_000, "pulling 8eeb52dfb3bb"));
        first.cut();
        await().until(() -> before.ensurePulled(OWNER, endpoint(), MODEL), PullState.Failed.class::isInstance);
        assertThat(ollama.pullRequests()).isEqualTo(1);
        before.close();

        ModelPuller after = newPuller(Duration.ofSeconds(5));
        assertThat(after.ensurePulled(OWNER, endpoint(), MODEL)).isEqualTo(new PullState.Checking());
        PullStream second = ollama.awaitPull(1);
        // Ollama keeps the partial blob: the new stream starts where the old one stopped
        second.manifest().layer(WEIGHTS, 10_000, 4_000);
        awaitState(after, new PullState.Pulling(40, 4_000, 10_000, "pulling 8eeb52dfb3bb"));
        second.layer(WEIGHTS, 10_000, 7_500);
        awaitState(after, new PullState.Pulling(75, 7_500, 10_000, "pulling 8eeb52dfb3bb"));
        second.layer(WEIGHTS, 10_000, 10_000);
        ollama.addModel(MODEL, MANIFEST_DIGEST, 10_000);
        second.succeed();
        awaitState(after, new PullState.Present("sha256:" + MANIFEST_DIGEST, 10_000));

        assertThat(ollama.pullRequests()).as("one pull per puller instance").isEqualTo(2);
    }

    @Test
    void progressHeldBackInAPeriodIsToldWhenThePeriodEnds() {
        ModelPuller puller = newPuller(Duration.ofMillis(300));
        puller.ensurePulled(OWNER, endpoint(), MODEL);
        PullStream stream = ollama.awaitPull(0);
        stream.manifest().announce(WEIGHTS, 1_000).layer(WEIGHTS, 1_000, 400);
        awaitState(puller, new PullState.Pulling(40, 400, 1_000, "pulling 8eeb52dfb3bb"));
        assertThat(notices).as("the start of the pull").hasSize(1);

        // the stream goes quiet: the 40% must still be told, once the period is over
        clock.advance(Duration.ofMillis(300));
        await().until(() -> notices.size() == 2);
    }

    @Test
    void progressNoticesAreThrottledPerOwnerButTerminalOnesAreNot() {
        ModelPuller puller = newPuller(Duration.ofSeconds(5));
        puller.ensurePulled(OWNER, endpoint(), MODEL);
        PullStream stream = ollama.awaitPull(0);
        stream.manifest().announce(WEIGHTS, 1_000);
        for (long done = 100; done <= 500; done += 100) {
            stream.layer(WEIGHTS, 1_000, done);
        }
        awaitState(puller, new PullState.Pulling(50, 500, 1_000, "pulling 8eeb52dfb3bb"));
        assertThat(notices).as("only the start of the pull within the first period").hasSize(1);

        clock.advance(Duration.ofSeconds(5));
        stream.layer(WEIGHTS, 1_000, 600).layer(WEIGHTS, 1_000, 700);
        awaitState(puller, new PullState.Pulling(70, 700, 1_000, "pulling 8eeb52dfb3bb"));
        assertThat(notices).hasSize(2);

        clock.advance(Duration.ofSeconds(4));
        stream.layer(WEIGHTS, 1_000, 1_000);
        ollama.addModel(MODEL, MANIFEST_DIGEST, 1_000);
        stream.succeed();
        awaitState(puller, new PullState.Present("sha256:" + MANIFEST_DIGEST, 1_000));
        // Present is told at once, inside the period
        await().until(() -> notices.size() == 3);
        assertThat(notices).containsOnly(OWNER);
    }

    @Test
    void forgettingTheLastOwnerCancelsThePullAndDropsItsState() {
        ResourceID other = new ResourceID("qwen3-30b-canary", "llm");
        ModelPuller puller = newPuller(Duration.ZERO);
        puller.ensurePulled(OWNER, endpoint(), MODEL);
        puller.ensurePulled(other, endpoint(), MODEL);
        PullStream first = ollama.awaitPull(0);
        first.manifest().layer(WEIGHTS, 1_000, 100);
        awaitState(puller, new PullState.Pulling(10, 100, 1_000, "pulling 8eeb52dfb3bb"));

        puller.forget(OWNER);
        first.layer(WEIGHTS, 1_000, 200);
        awaitState(puller, other, MODEL, new PullState.Pulling(20, 200, 1_000, "pulling 8eeb52dfb3bb"));
        int ownerNotices = countOf(OWNER);

        puller.forget(other);
        // the client hangs up: the fake notices on its next write
        await().until(() -> {
            first.layer(WEIGHTS, 1_000, 300);
            return first.clientGone();
        });
        assertThat(countOf(OWNER)).as("a forgotten owner hears nothing more").isEqualTo(ownerNotices);

        assertThat(puller.ensurePulled(OWNER, endpoint(), MODEL)).isEqualTo(new PullState.Checking());
        ollama.awaitPull(1);
        assertThat(ollama.pullRequests()).isEqualTo(2);
    }

    @Test
    void aModelOnDiskIsFoundWhileEveryPullSlotStreamsAnotherModel() {
        ModelPuller puller = newPuller(Duration.ZERO);
        for (int i = 0; i < ModelPuller.MAX_CONCURRENT_ATTEMPTS; i++) {
            puller.ensurePulled(new ResourceID("big-" + i, "llm"), endpoint(), "big" + i + ":70b");
        }
        for (int i = 0; i < ModelPuller.MAX_CONCURRENT_ATTEMPTS; i++) {
            ollama.awaitPull(i).manifest().layer(WEIGHTS, 1_000, 1); // every pull thread holds a long stream
        }

        // the check whether a model is on disk does not queue behind the pulls
        ollama.addModel(MODEL, MANIFEST_DIGEST, 18_556_688_736L);
        puller.ensurePulled(OWNER, endpoint(), MODEL);
        awaitState(puller, new PullState.Present("sha256:" + MANIFEST_DIGEST, 18_556_688_736L));
        assertThat(ollama.pullRequests()).isEqualTo(ModelPuller.MAX_CONCURRENT_ATTEMPTS);
    }

    @Test
    void badArgumentsAreRefusedWithTheirName() {
        ModelPuller puller = newPuller(Duration.ofSeconds(5));
        assertThatThrownBy(() -> puller.ensurePulled(OWNER, "gpu-box:11434", MODEL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint 'gpu-box:11434'");
        assertThatThrownBy(() -> puller.ensurePulled(OWNER, endpoint(), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
        puller.close();
        assertThatThrownBy(() -> puller.ensurePulled(OWNER, endpoint(), MODEL))
                .isInstanceOf(IllegalStateException.class);
    }

    private ModelPuller newPuller(Duration progressPeriod) {
        OperatorConfig config = OperatorConfig.defaults().withPullProgressPeriod(progressPeriod).withClock(clock);
        ModelPuller puller = new ModelPuller(http, config, notices::add);
        pullers.add(puller);
        return puller;
    }

    private String endpoint() {
        return server.url("/").toString();
    }

    private void awaitState(ModelPuller puller, PullState expected) {
        awaitState(puller, OWNER, MODEL, expected);
    }

    private void awaitState(ModelPuller puller, String model, PullState expected) {
        awaitState(puller, OWNER, model, expected);
    }

    private void awaitState(ModelPuller puller, ResourceID owner, String model, PullState expected) {
        Predicate<PullState> reached = expected::equals;
        await().atMost(Duration.ofSeconds(10))
                .until(() -> puller.ensurePulled(owner, endpoint(), model), reached::test);
    }

    private int countOf(ResourceID owner) {
        return (int) notices.stream().filter(owner::equals).count();
    }
}
