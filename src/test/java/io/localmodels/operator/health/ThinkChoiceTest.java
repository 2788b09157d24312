package io.localmodels.operator.health;

import io.localmodels.operator.testing.MutableClock;
import io.localmodels.operator.testing.OllamaAnswers;

import io.localmodels.operator.api.ProbeSpec;
import io.localmodels.operator.ollama.OllamaClient;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

import static io.localmodels.operator.testing.OllamaAnswers.chat;
import static io.localmodels.operator.testing.OllamaAnswers.error;
import static io.localmodels.operator.testing.OllamaAnswers.show;
import static io.localmodels.operator.testing.OllamaAnswers.showFamily;
import static org.assertj.core.api.Assertions.assertThat;

/** Which {@code think} value the probe sends, checked on the wire. */
class ThinkChoiceTest {

    private static final OkHttpClient HTTP = OllamaClient.newHttpClient(4);

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final ProbeRunner runner = new ProbeRunner();

    private ProbeResult probe(String model, String think) {
        ProbeSpec spec = new ProbeSpec();
        spec.setThink(think);
        return runner.probe(new OllamaClient(HTTP, server.url("/").toString()), model, ProbeSettings.from(spec)).join();
    }

    private String chatBodySent() throws InterruptedException {
        RecordedRequest request = server.takeRequest();
        while (!request.getTarget().equals("/api/chat")) {
            request = server.takeRequest();
        }
        return request.getBody().utf8();
    }

    @Test
    void gptOssGetsLow() throws Exception {
        server.enqueue(showFamily("gptoss", "completion", "tools", "thinking"));
        server.enqueue(chat("gpt-oss:20b", "OK", 5, 1000));
        probe("gpt-oss:20b", null);
        assertThat(chatBodySent()).contains("\"think\":\"low\"").contains("\"num_predict\":64")
                .contains("\"stream\":false").contains("Reply with the single word OK.");
    }

    @Test
    void otherThinkingModelsGetFalse() throws Exception {
        server.enqueue(show("completion", "thinking"));
        server.enqueue(chat("qwen3:30b", "OK", 5, 1000));
        probe("qwen3:30b", "auto");
        assertThat(chatBodySent()).contains("\"think\":false");
    }

    @Test
    void modelsThatCannotThinkGetNoThinkField() throws Exception {
        server.enqueue(show("completion", "tools"));
        server.enqueue(chat("llama3.2:3b", "OK", 5, 1000));
        probe("llama3.2:3b", null);
        assertThat(chatBodySent()).doesNotContain("think");
    }

    @Test
    void explicitSettingWinsWithoutLookingCapabilitiesUp() throws Exception {
        server.enqueue(chat("gpt-oss:20b", "OK", 5, 1000));
        probe("gpt-oss:20b", "off");
        RecordedRequest only = server.takeRequest();
        assertThat(only.getTarget()).isEqualTo("/api/chat");
        assertThat(only.getBody().utf8()).contains("\"think\":false");

        // a level is sent even to a model that cannot think: Ollama's 400 then says so
        server.enqueue(error(400, "\\\"llama3.2:3b\\\" does not support thinking"));
        ProbeResult r = probe("llama3.2:3b", "high");
        assertThat(chatBodySent()).contains("\"think\":\"high\"");
        assertThat(r.outcome()).isEqualTo(ProbeOutcome.HttpError);
        assertThat(r.error()).contains("does not support thinking");
    }

    @Test
    void capabilitiesAreCachedPerEndpointAndModelAndRefreshedAfterModelNotFound() throws Exception {
        server.enqueue(show("completion", "thinking"));
        server.enqueue(chat("qwen3:8b", "OK", 5, 1000));
        server.enqueue(chat("qwen3:8b", "OK", 5, 1000));
        probe("qwen3:8b", null);
        probe("qwen3:8b", null);
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(runner.cachedThink(server.url("/").toString().replaceAll("/$", ""), "qwen3:8b")).contains("false");

        server.enqueue(error(404, "model 'qwen3:8b' not found"));
        assertThat(probe("qwen3:8b", null).outcome()).isEqualTo(ProbeOutcome.ModelNotFound);
        server.enqueue(show("completion"));
        server.enqueue(chat("qwen3:8b", "OK", 5, 1000));
        probe("qwen3:8b", null);
        assertThat(server.getRequestCount()).isEqualTo(6);
        for (int i = 0; i < 5; i++) {
            server.takeRequest();
        }
        assertThat(server.takeRequest().getBody().utf8()).doesNotContain("think");
    }

    @Test
    void gptOssIsRecognisedByItsFamilyNotItsName() throws Exception {
        // a copy under another name is still gpt-oss to Ollama: only levels work
        server.enqueue(showFamily("gptoss", "completion", "thinking"));
        server.enqueue(chat("my-reasoner:latest", "OK", 5, 1000));
        probe("my-reasoner:latest", null);
        assertThat(chatBodySent()).contains("\"think\":\"low\"");

        // and a name that says gpt-oss does not make a qwen3 one: a level would be a 400 there
        server.enqueue(showFamily("qwen3", "completion", "thinking"));
        server.enqueue(chat("gpt-oss-like:8b", "OK", 5, 1000));
        probe("gpt-oss-like:8b", null);
        assertThat(chatBodySent()).contains("\"think\":false");
    }
}
