package io.localmodels.operator.health;

import io.localmodels.operator.testing.MutableClock;
import io.localmodels.operator.testing.OllamaAnswers;

import io.localmodels.operator.api.ProbeSpec;
import io.localmodels.operator.ollama.OllamaClient;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.localmodels.operator.testing.OllamaAnswers.chat;
import static io.localmodels.operator.testing.OllamaAnswers.error;
import static io.localmodels.operator.testing.OllamaAnswers.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every ProbeOutcome, produced the way the monitor produces it: a real chat call against a fake Ollama. */
class ProbeClassificationTest {

    private static final OkHttpClient HTTP = OllamaClient.newHttpClient(8);

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final ProbeRunner runner = new ProbeRunner();

    @AfterAll
    static void shutDown() {
        HTTP.dispatcher().executorService().shutdown();
        HTTP.connectionPool().evictAll();
    }

    private ProbeResult probe(String think, String timeout) {
        ProbeSpec spec = new ProbeSpec();
        spec.setThink(think);
        spec.setTimeout(timeout);
        OllamaClient client = new OllamaClient(HTTP, server.url("/").toString());
        return runner.probe(client, "qwen3:8b", ProbeSettings.from(spec)).join();
    }

    private ProbeResult probe(MockResponse answer) {
        server.enqueue(answer);
        return probe("off", "5s");
    }

    @Test
    void contentIsSuccessWithTokensPerSecondFromNanoseconds() {
        ProbeResult r = probe(chat("qwen3:8b", "OK", 20, 500_000_000L));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.Success);
        assertThat(r.tokensPerSecond()).isEqualTo(40.0);
        assertThat(r.httpCode()).isEqualTo(200);
        assertThat(r.error()).isEmpty();
        assertThat(r.thinking()).isFalse();
        assertThat(r.latency()).isPositive();
    }

    @Test
    void missingMetricFieldsAreZeroNotAnError() {
        ProbeResult r = probe(json(200, "{\"message\":{\"role\":\"assistant\",\"content\":\"OK\"},\"done\":true}"));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.Success);
        assertThat(r.tokensPerSecond()).isZero();
    }

    @Test
    void emptyContentWithoutThinkingIsEmptyResponse() {
        ProbeResult r = probe(chat("qwen3:8b", "", 0, 0));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.EmptyResponse);
        assertThat(r.isFailure()).isTrue();
        assertThat(r.error()).contains("empty content");
    }

    @Test
    void whitespaceOnlyContentIsEmptyResponse() {
        ProbeResult r = probe(chat("qwen3:8b", "\\n  ", 2, 1000));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.EmptyResponse);
    }

    @Test
    void thinkingThatStoppedWithoutContentIsEmptyResponse() {
        ProbeResult r = probe(json(200, "{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"hmm\"},"
                + "\"done\":true,\"done_reason\":\"stop\"}"));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.EmptyResponse);
        assertThat(r.thinking()).isTrue();
        assertThat(r.error()).contains("thinking only");
    }

    @Test
    void gptOssThinkingOnlyAnswerWithLengthIsThinkingBudgetExhaustedAndNotAFailure() {
        ProbeResult r = probe(OllamaAnswers.thinkingOnly("gpt-oss:20b"));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.ThinkingBudgetExhausted);
        assertThat(r.isFailure()).isFalse();
        assertThat(r.thinking()).isTrue();
        assertThat(r.tokensPerSecond()).isEqualTo(80.0);
        assertThat(r.error()).contains("spec.probe.maxTokens");
    }

    @Test
    void errorLineInsideHttp200IsHttpError() {
        ProbeResult r = probe(json(200, "{\"error\":\"an error was encountered while running the model: unexpected EOF\"}"));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.HttpError);
        assertThat(r.httpCode()).isEqualTo(200);
        assertThat(r.error()).isEqualTo("an error was encountered while running the model: unexpected EOF");
    }

    @Test
    void streamedAnswerEndingInAnErrorLineIsHttpError() {
        ProbeResult r = probe(json(200, "{\"message\":{\"role\":\"assistant\",\"content\":\"O\"},\"done\":false}\n"
                + "{\"error\":\"runner process has terminated\"}\n"));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.HttpError);
        assertThat(r.error()).isEqualTo("runner process has terminated");
    }

    @Test
    void streamedChunksAreAssembled() {
        ProbeResult r = probe(json(200, "{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"x\"},\"done\":false}\n"
                + "{\"message\":{\"role\":\"assistant\",\"content\":\"OK\"},\"done\":false}\n"
                + "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\","
                + "\"eval_count\":10,\"eval_duration\":1000000000}\n"));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.Success);
        assertThat(r.thinking()).isTrue();
        assertThat(r.tokensPerSecond()).isEqualTo(10.0);
    }

    @Test
    void http404IsModelNotFound() {
        ProbeResult r = probe(error(404, "model 'qwen3:8b' not found, try pulling it first"));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.ModelNotFound);
        assertThat(r.httpCode()).isEqualTo(404);
        assertThat(r.error()).isEqualTo("model 'qwen3:8b' not found, try pulling it first");
    }

    @Test
    void http503IsServerBusy() {
        ProbeResult r = probe(error(503, "server busy, please try again.  maximum pending requests exceeded"));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.ServerBusy);
        assertThat(r.httpCode()).isEqualTo(503);
    }

    @Test
    void otherStatusIsHttpErrorWithCodeAndText() {
        ProbeResult r = probe(error(500, "llama runner process has terminated: signal: killed"));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.HttpError);
        assertThat(r.httpCode()).isEqualTo(500);
        assertThat(r.error()).isEqualTo("HTTP 500: llama runner process has terminated: signal: killed");
    }

    @Test
    void nonJsonErrorBodyIsQuoted() {
        ProbeResult r = probe(new MockResponse.Builder().code(502).body("Bad Gateway").build());
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.HttpError);
        assertThat(r.error()).isEqualTo("HTTP 502: Bad Gateway");
    }

    @Test
    void brokenJsonIsMalformedResponse() {
        ProbeResult r = probe(json(200, "{\"message\":{\"content\":\"OK\""));
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.MalformedResponse);
        assertThat(r.error()).startsWith("not an Ollama chat answer");
    }

    @Test
    void jsonWithoutMessageIsMalformedResponse() {
        assertThat(probe(json(200, "{\"status\":\"ok\"}")).outcome()).isEqualTo(ProbeOutcome.MalformedResponse);
        assertThat(probe(json(200, "[1,2]")).outcome()).isEqualTo(ProbeOutcome.MalformedResponse);
        assertThat(probe(json(200, "")).outcome()).isEqualTo(ProbeOutcome.MalformedResponse);
    }

    @Test
    void slowAnswerIsTimeout() {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        ProbeResult r = probe("off", "300ms");
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.Timeout);
        assertThat(r.httpCode()).isZero();
        assertThat(r.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(5));
        assertThat(r.error()).startsWith("no answer within");
    }

    @Test
    void refusedConnectionIsConnectionError() throws Exception {
        String url = OllamaAnswers.refusingUrl();
        ProbeSpec spec = new ProbeSpec();
        spec.setThink("off");
        ProbeResult r = runner.probe(new OllamaClient(HTTP, url), "m", ProbeSettings.from(spec)).join();
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.ConnectionError);
        assertThat(r.error()).contains("ConnectException");
    }

    @Test
    void capabilityLookUpFailuresAreClassifiedToo() {
        server.enqueue(error(404, "model 'qwen3:8b' not found"));
        ProbeResult notFound = probe("auto", "5s");
        assertThat(notFound.outcome()).isEqualTo(ProbeOutcome.ModelNotFound);
        assertThat(notFound.error()).isEqualTo("model 'qwen3:8b' not found");
        assertThat(notFound.httpCode()).isEqualTo(404);
        server.enqueue(json(200, "{not json"));
        assertThat(probe("auto", "5s").outcome()).isEqualTo(ProbeOutcome.MalformedResponse);
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        assertThat(probe("auto", "200ms").outcome()).isEqualTo(ProbeOutcome.Timeout);
    }
}
