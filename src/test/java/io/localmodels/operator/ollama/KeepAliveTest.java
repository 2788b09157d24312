package io.localmodels.operator.ollama;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What Ollama 0.12.6 {@code envconfig.KeepAlive} takes as given, and what it silently turns into 5m. */
class KeepAliveTest {

    @ParameterizedTest
    @ValueSource(strings = {"1h30m", "300ms", "-1m", "-1", "3600", "0", "-0", "+5m", "007", "1.5h", ".5s", "5.s",
            "10us", "10\u00b5s", "10\u03bcs", "2ns", "2562047h", "-2562047h", "9223372036", "-9223372036", "24h0m0s"})
    void acceptsWhatGoDurationsOrIntegerSecondsRead(String value) {
        assertThat(KeepAlive.isReadByOllama(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "5 m", " 5m", "forever", "5m3", "1d", "", "-", "m", ".s", "1h-30m", "5M",
            "2562048h", "9999999999h", "9223372037", "-99999999999", "0x10", "1e3s", "\"5m\""})
    void refusesWhatOllamaWouldSilentlyReplaceWithFiveMinutes(String value) {
        assertThat(KeepAlive.isReadByOllama(value)).isFalse();
    }
}
