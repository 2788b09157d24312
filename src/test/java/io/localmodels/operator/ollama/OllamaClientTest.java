package io.localmodels.operator.ollama;

import io.localmodels.operator.testing.OllamaAnswers;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** An Ollama behind a gateway path ({@code external.url: https://gw.example/ollama}) keeps that path. */
class OllamaClientTest {

    private final OkHttpClient http = OllamaClient.newHttpClient(4);
    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @ParameterizedTest
    @CsvSource({
            "/ollama, /ollama/api/tags, /ollama/api/show",
            "/ollama/, /ollama/api/tags, /ollama/api/show",
            "/a/b, /a/b/api/tags, /a/b/api/show",
            "/, /api/tags, /api/show",
    })
    void callsResolveUnderTheBasePath(String basePath, String tagsPath, String showPath) throws Exception {
        OllamaClient ollama = new OllamaClient(http, server.url(basePath).toString());
        server.enqueue(OllamaAnswers.json(200, "{\"models\":[]}"));
        server.enqueue(OllamaAnswers.show("completion"));

        ollama.tags();
        ollama.showAsync("qwen3:30b", Duration.ofSeconds(5)).join();

        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo(tagsPath);
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo(showPath);
    }

    @ParameterizedTest
    @CsvSource({"https://gw.example/ollama, https://gw.example/ollama", "https://gw.example/ollama/, https://gw.example/ollama",
            "http://box:11434, http://box:11434", "http://box:11434/, http://box:11434"})
    void theBaseUrlIsShownWithoutTrailingSlash(String given, String shown) {
        assertThat(new OllamaClient(http, given).baseUrl()).isEqualTo(shown);
    }
}
