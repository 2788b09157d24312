package io.localmodels.operator.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.localmodels.operator.status.LogContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped logging configuration: JSON lines that carry the resource a line is about. */
class LogFormatTest {

    @Test
    void jsonLinesCarryNamespaceNameAndModel() throws Exception {
        String line = logWith("json");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("message").asText()).isEqualTo("applied StatefulSet qwen3-30b");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("namespace").asText()).isEqualTo("llm");
        assertThat(json.get("name").asText()).isEqualTo("qwen3-30b");
        assertThat(json.get("model").asText()).isEqualTo("qwen3:30b");
    }

    @Test
    void plainLinesForLocalRuns() throws Exception {
        String line = logWith("plain");
        assertThat(line).contains("INFO").contains("[llm/qwen3-30b qwen3:30b]").contains("applied StatefulSet qwen3-30b");
    }

    /** Configures a fresh logging context from the shipped logback.xml and returns the line it wrote. */
    private static String logWith(String format) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        LoggerContext context = new LoggerContext();
        try {
            context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter()); // the one LogContext writes to
            context.putProperty(LogFormat.PROPERTY, format);
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogFormat.class.getResource("/logback.xml"));
            try (var ignored = LogContext.of("llm", "qwen3-30b", "qwen3:30b")) {
                context.getLogger("io.localmodels.operator.model.LocalModelReconciler").info("applied StatefulSet {}", "qwen3-30b");
            }
        } finally {
            context.stop();
            System.setOut(out);
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8).strip();
    }
}
