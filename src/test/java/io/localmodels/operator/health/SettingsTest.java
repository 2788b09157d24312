package io.localmodels.operator.health;

import io.localmodels.operator.api.CircuitBreakerSpec;
import io.localmodels.operator.api.ProbeSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void defaults() {
        assertThat(ProbeSettings.from(null)).isEqualTo(new ProbeSettings(Duration.ofSeconds(30), Duration.ofSeconds(60),
                "Reply with the single word OK.", 64, "auto", 20, Duration.ofMinutes(10), Duration.ofMinutes(5), "auto"));
        assertThat(CircuitSettings.from(null)).isEqualTo(new CircuitSettings(50, 4, Duration.ofSeconds(60), 2));
    }

    @Test
    void givenValuesWinAndEqualSpecsResolveEqual() {
        ProbeSpec a = new ProbeSpec();
        a.setInterval("1m30s");
        a.setThink("Low");
        a.setWindow(5);
        ProbeSpec b = new ProbeSpec();
        b.setInterval("90s");
        b.setThink("low");
        b.setWindow(5);
        assertThat(ProbeSettings.from(a)).isEqualTo(ProbeSettings.from(b));
        assertThat(ProbeSettings.from(a).interval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(ProbeSettings.from(a).think()).isEqualTo("low");
    }

    @Test
    void invalidValuesNameTheField() {
        ProbeSpec probe = new ProbeSpec();
        probe.setInterval("soon");
        assertThatThrownBy(() -> ProbeSettings.from(probe)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("spec.probe.interval: 'soon' is not a duration");
        probe.setInterval("0s");
        assertThatThrownBy(() -> ProbeSettings.from(probe)).hasMessageStartingWith("spec.probe.interval: must be longer than 0");
        probe.setInterval(null);
        probe.setThink("maybe");
        assertThatThrownBy(() -> ProbeSettings.from(probe)).hasMessage("spec.probe.think: 'maybe' is not one of auto, off, low, medium, high");
        probe.setThink(null);
        probe.setMaxTokens(0);
        assertThatThrownBy(() -> ProbeSettings.from(probe)).hasMessage("spec.probe.maxTokens: 0 is outside 1..32768");
        probe.setMaxTokens(null);
        probe.setPrompt(" ");
        assertThatThrownBy(() -> ProbeSettings.from(probe)).hasMessage("spec.probe.prompt: must not be blank");

        CircuitBreakerSpec circuit = new CircuitBreakerSpec();
        circuit.setFailureRateThreshold(101);
        assertThatThrownBy(() -> CircuitSettings.from(circuit))
                .hasMessage("spec.circuitBreaker.failureRateThreshold: 101 is outside 1..100");
        circuit.setFailureRateThreshold(null);
        circuit.setOpenDuration("1 minute");
        assertThatThrownBy(() -> CircuitSettings.from(circuit))
                .hasMessageStartingWith("spec.circuitBreaker.openDuration: ");
    }

    @Test
    void loadTimeoutBusyGraceAndMethodAreCheckedNamingTheirFields() {
        ProbeSpec spec = new ProbeSpec();
        spec.setLoadTimeout("0s");
        spec.setBusyGrace("soon");
        spec.setMethod("generate");
        assertThat(ProbeSettings.problems(spec)).containsExactly(
                "spec.probe.loadTimeout: must be longer than 0, got '0s'",
                "spec.probe.busyGrace: 'soon' is not a duration such as 30s, 5m or 1h30m",
                "spec.probe.method: 'generate' is not one of auto, chat, embed");

        spec.setLoadTimeout("20m");
        spec.setBusyGrace("90s");
        spec.setMethod("Embed");
        ProbeSettings settings = ProbeSettings.from(spec);
        assertThat(settings.loadTimeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(settings.busyGrace()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.method()).isEqualTo("embed");
    }
}
