package io.localmodels.operator.cli;

import io.localmodels.operator.testing.OllamaAnswers;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code probe} against a fake Ollama: the table and the exit codes. */
class ProbeCommandTest {

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<String> paths = new ArrayList<>();

    /** qwen3 answers (in memory), gpt-oss spends its budget thinking (loaded first), llama is gone. */
    private void fakeOllama() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                String body = request.getBody() == null ? "" : request.getBody().utf8();
                paths.add(path + " " + body);
                if (path.equals("/api/ps")) {
                    return OllamaAnswers.json(200, "{\"models\":[{\"name\":\"qwen3:8b\",\"model\":\"qwen3:8b\","
                            + "\"size\":6000,\"size_vram\":6000}]}");
                }
                if (path.equals("/api/chat") && body.contains("\"messages\":[]")) {
                    return OllamaAnswers.json(200, OllamaAnswers.chatLoadedBody("gpt-oss:20b", "2026-01-01T00:00:00Z"));
                }
                if (path.equals("/api/tags")) {
                    return OllamaAnswers.json(200, "{\"models\":[{\"name\":\"qwen3:8b\",\"model\":\"qwen3:8b\"},"
                            + "{\"name\":\"gpt-oss:20b\",\"model\":\"gpt-oss:20b\"}]}");
                }
                if (path.equals("/api/show")) {
                    return body.contains("llama") ? OllamaAnswers.error(404, "model 'llama3.2:1b' not found")
                            : OllamaAnswers.showFamily(body.contains("gpt-oss") ? "gptoss" : "qwen3", "completion", "thinking");
                }
                if (body.contains("gpt-oss")) {
                    return OllamaAnswers.thinkingOnly("gpt-oss:20b");
                }
                return OllamaAnswers.chat("qwen3:8b", "OK", 30, 1_000_000_000L);
            }
        });
    }

    private int run(String... args) {
        return new CommandLine(new ProbeCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void probesEveryModelFromTagsAndPrintsTheTable() {
        fakeOllama();
        int code = run("--url", server.url("/").toString());
        assertThat(code).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).matches("MODEL +METHOD +LOAD\\(s\\) +RESULT +LATENCY\\(ms\\) +TOKENS/S +THINKING");
        assertThat(lines.get(1)).matches("qwen3:8b +chat +- +Success +\\d+ +30\\.0 +no");
        // not in memory: loaded with a warm-up first, then probed
        assertThat(lines.get(2)).matches("gpt-oss:20b +chat +\\d+\\.\\d +ThinkingBudgetExhausted +\\d+ +80\\.0 +yes");
        assertThat(lines.get(3)).startsWith("gpt-oss:20b: no content: the token budget");
        // same probe path as the operator: gpt-oss gets think "low", qwen3 think false
        assertThat(paths).anySatisfy(p -> assertThat(p).startsWith("/api/chat").contains("gpt-oss").contains("\"think\":\"low\""));
        assertThat(paths).anySatisfy(p -> assertThat(p).startsWith("/api/chat").contains("qwen3").contains("\"think\":false"));
    }

    @Test
    void anyFailureExitsOne() {
        fakeOllama();
        int code = run("--url", server.url("/").toString(), "--model", "qwen3:8b", "--model", "llama3.2:1b");
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).containsPattern("llama3.2:1b +chat +- +ModelNotFound +\\d+ +- +no")
                .contains("llama3.2:1b: model 'llama3.2:1b' not found");
        assertThat(paths).noneMatch(p -> p.startsWith("/api/tags"));
    }

    @Test
    void explicitOptionsReachTheRequest() {
        fakeOllama();
        int code = run("--url", server.url("/").toString(), "--model", "qwen3:8b", "--think", "off",
                "--max-tokens", "128", "--timeout", "5s");
        assertThat(code).isZero();
        assertThat(paths).filteredOn(p -> p.startsWith("/api/chat")).singleElement()
                .satisfies(p -> assertThat(p).contains("\"think\":false").contains("\"num_predict\":128"));
    }

    @Test
    void unreachableServerExitsOne() throws Exception {
        String url = OllamaAnswers.refusingUrl();
        assertThat(run("--url", url)).isEqualTo(1);
        assertThat(err.toString()).contains("cannot list models at");
        assertThat(run("--url", url, "--model", "m")).isEqualTo(1);
        assertThat(out.toString()).containsPattern("m +chat +- +ConnectionError");
    }

    @Test
    void badInputExitsTwoWithAClearMessage() {
        assertThat(run("--url", "gpu-box:11434")).isEqualTo(2);
        assertThat(err.toString()).contains("--url: 'gpu-box:11434' is not an http(s) URL");
        assertThat(run("--url", "http://localhost:1", "--think", "maybe")).isEqualTo(2);
        assertThat(err.toString()).contains("--think: 'maybe' is not one of auto, off, low, medium, high");
        assertThat(run("--url", "http://localhost:1", "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--timeout: 'soon' is not a duration");
        assertThat(run("--url", "http://localhost:1", "--max-tokens", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--max-tokens: 0 is outside 1..32768");
        assertThat(run("--model", "m")).isEqualTo(2);                    // --url is required
        assertThat(err.toString()).contains("Missing required option: '--url");
    }

    @Test
    void aBusyModelAndAnEmbeddingModelAreShownForWhatTheyAre() throws Exception {
        try (var fakeServer = new MockWebServer()) {
            var fake = new io.localmodels.operator.testing.FakeOllama();
            fake.addModel("qwen3:8b", "a".repeat(64), 1000).addModel("nomic-embed-text", "e".repeat(64), 300);
            fake.model("nomic-embed-text").capabilities("embedding").family("nomic-bert");
            fake.preload("qwen3:8b");
            fakeServer.setDispatcher(fake);
            fakeServer.start();
            try (var user = fake.holdSlot("qwen3:8b")) {
                int code = run("--url", fakeServer.url("/").toString(), "--timeout", "1s");
                // Busy is no failure: the server answers and the model is loaded, its only slot is taken
                assertThat(code).as(err.toString()).isZero();
                assertThat(out.toString()).containsPattern("qwen3:8b +chat +- +Busy +\\d+")
                        .containsPattern("nomic-embed-text:latest +embed +\\d+\\.\\d +Success +\\d+ +- +no")
                        .contains("qwen3:8b: no answer within");
            }
            assertThat(fake.loads("nomic-embed-text", io.localmodels.operator.testing.LoadEvent.Kind.COMPLETED)).hasSize(1);
            fake.close();
        }
    }
}
