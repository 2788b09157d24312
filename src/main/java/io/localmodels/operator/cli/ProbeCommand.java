package io.localmodels.operator.cli;

import io.localmodels.operator.api.ProbeSpec;
import io.localmodels.operator.health.LoadTurn;
import io.localmodels.operator.health.ProbeCycle;
import io.localmodels.operator.health.ProbeResult;
import io.localmodels.operator.health.ProbeRunner;
import io.localmodels.operator.health.ProbeSettings;
import io.localmodels.operator.ollama.OllamaClient;
import io.localmodels.operator.ollama.TagsResponse;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code probe}: one health probe per model of a live Ollama, with the operator's own probe code; prints a table. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Probes models of an Ollama server as the operator does: loads a model that is not in memory "
                + "(under --load-timeout), then a real chat call (/api/embed for embedding models). "
                + "Exit 0 when every probe succeeds (ThinkingBudgetExhausted and Busy included), 1 when any fails or "
                + "a load fails, 2 on bad input.")
public class ProbeCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    /** The spec field names in ProbeSettings' messages, as this command's options. */
    private static final Map<String, String> OPTION_NAMES = Map.of(
            "spec.probe.timeout", "--timeout", "spec.probe.maxTokens", "--max-tokens", "spec.probe.think", "--think",
            "spec.probe.loadTimeout", "--load-timeout");

    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, description = "Ollama base URL, e.g. http://host:11434")
    String url;

    @Option(names = "--model", description = "Model to probe (repeatable); default: every model in /api/tags")
    List<String> models = new ArrayList<>();

    @Option(names = "--timeout", defaultValue = "60s", description = "Per-probe timeout (default ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--max-tokens", defaultValue = "64", description = "options.num_predict (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--think", defaultValue = "auto", description = "auto, off, low, medium or high (default ${DEFAULT-VALUE})")
    String think;

    @Option(names = "--load-timeout", defaultValue = "10m",
            description = "How long loading a model that is not in memory may take (default ${DEFAULT-VALUE})")
    String loadTimeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpUrl base = HttpUrl.parse(url == null ? "" : url.trim());
        if (base == null) {
            err.println("--url: '" + url + "' is not an http(s) URL such as http://localhost:11434");
            return BAD_INPUT;
        }
        ProbeSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return BAD_INPUT;
        }
        OkHttpClient http = OllamaClient.newHttpClient(4);
        try {
            OllamaClient client = new OllamaClient(http, base.toString());
            List<String> names = models.isEmpty() ? listModels(client, err) : models;
            if (names == null) {
                return FAILED;
            }
            ProbeRunner runner = new ProbeRunner();
            List<Row> rows = new ArrayList<>();
            // one after the other: probing all at once would make one Ollama swap models in and out of memory
            for (String model : names) {
                ProbeCycle cycle = runner.cycle(client, model, settings, null, LoadTurn.now(client)).join();
                String method = "embed".equals(runner.cachedThink(client.baseUrl(), model).orElse("")) ? "embed" : "chat";
                rows.add(new Row(model, method, cycle));
            }
            print(out, rows);
            out.flush();
            return rows.stream().anyMatch(r -> r.cycle().probe().isFailure()) ? FAILED : OK;
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private ProbeSettings settings() {
        ProbeSpec probe = new ProbeSpec();
        probe.setTimeout(timeout);
        probe.setMaxTokens(maxTokens);
        probe.setThink(think);
        probe.setLoadTimeout(loadTimeout);
        try {
            return ProbeSettings.from(probe);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            for (var name : OPTION_NAMES.entrySet()) {
                message = message.replace(name.getKey(), name.getValue());
            }
            throw new IllegalArgumentException(message, e);
        }
    }

    private static List<String> listModels(OllamaClient client, PrintWriter err) {
        try {
            List<String> names = client.tags().stream().map(TagsResponse.Model::name).toList();
            if (names.isEmpty()) {
                err.println("no models on " + client.baseUrl() + ": nothing to probe (pull one, or name it with --model)");
                return null;
            }
            return names;
        } catch (IOException e) {
            err.println("cannot list models at " + client.baseUrl() + "/api/tags: " + e);
            return null;
        }
    }

    private record Row(String model, String method, ProbeCycle cycle) {
        ProbeResult result() {
            return cycle.probe();
        }

        /** Seconds a load took in this run, "failed", or "-" when the model was in memory already. */
        String load() {
            return cycle.load().map(l -> l.succeeded() ? String.format(Locale.ROOT, "%.1f", l.took().toMillis() / 1000.0)
                    : "failed").orElse("-");
        }
    }

    private static void print(PrintWriter out, List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"MODEL", "METHOD", "LOAD(s)", "RESULT", "LATENCY(ms)", "TOKENS/S", "THINKING"});
        for (Row row : rows) {
            ProbeResult r = row.result();
            cells.add(new String[] {row.model(), row.method(), row.load(), r.outcome().name(), Long.toString(r.latencyMillis()),
                    r.tokensPerSecond() > 0 ? String.format(Locale.ROOT, "%.1f", r.tokensPerSecond()) : "-",
                    r.thinking() ? "yes" : "no"});
        }
        int[] widths = new int[7];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : cells) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                text.append(i == line.length - 1 ? line[i] : String.format("%-" + (widths[i] + 3) + "s", line[i]));
            }
            out.println(text.toString().stripTrailing());
        }
        rows.stream().filter(r -> !r.result().error().isEmpty())
                .forEach(r -> out.println(r.model() + ": " + r.result().error()));
    }
}
