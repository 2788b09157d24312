package io.localmodels.operator.fleet;

import io.localmodels.operator.api.CircuitState;
import io.localmodels.operator.api.ExcludedBackend;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The fleet page at {@code /} of the operator's HTTP port: one table of LocalModels (phase, circuit, success rate,
 * p50/p95, a sparkline of each replica's probe window, what is wrong) and one of ModelRouters (backends per model
 * name, what is left out and why). Plain HTML and CSS that reloads itself; read-only; every string from the cluster
 * is escaped. Readable on a laptop screen; no script at all.
 */
public final class FleetPage {

    /** How often the page reloads itself unless the request asks otherwise. */
    public static final int DEFAULT_REFRESH_SECONDS = 10;

    private FleetPage() {
    }

    public static String render(FleetSnapshot fleet, int refreshSeconds, Instant now) {
        StringBuilder html = new StringBuilder(4096 + fleet.models().size() * 900);
        html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>LocalModels fleet</title><style>").append(STYLE).append("</style></head><body>\n");
        header(html, fleet, refreshSeconds, now);
        models(html, fleet);
        routers(html, fleet);
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void header(StringBuilder html, FleetSnapshot fleet, int refreshSeconds, Instant now) {
        long open = fleet.models().stream().filter(m -> CircuitState.OPEN.value().equals(m.circuit())).count();
        long halfOpen = fleet.models().stream().filter(m -> CircuitState.HALF_OPEN.value().equals(m.circuit())).count();
        html.append("<header><h1>LocalModels fleet</h1><p class=\"meta\">")
                .append(fleet.models().size()).append(" LocalModels · ")
                .append("<span id=\"open-count\" class=\"").append(open > 0 ? "bad" : "").append("\">")
                .append(open).append(" circuits open</span> · ").append(halfOpen).append(" half-open · ")
                .append(fleet.routers().size()).append(" ModelRouters · as of ")
                .append(now.truncatedTo(ChronoUnit.SECONDS)).append(", reloads every ").append(refreshSeconds)
                .append(" s · <a href=\"/metrics\">/metrics</a> · <a href=\"/debug/models\">/debug/models</a></p>");
        if (!fleet.probing() && !fleet.models().isEmpty()) {
            html.append("<p class=\"note\">This operator replica probes nothing (it is not the leader, or no model is "
                    + "on disk yet): figures are from status, without probe windows.</p>");
        }
        html.append("</header>\n");
    }

    private static void models(StringBuilder html, FleetSnapshot fleet) {
        html.append("<section><h2>LocalModels</h2>");
        if (fleet.models().isEmpty()) {
            html.append("<p class=\"empty\">No LocalModels in the watched namespaces.</p></section>\n");
            return;
        }
        html.append("<table id=\"models\"><thead><tr><th>Namespace</th><th>Name</th><th>Model</th><th>Phase</th>")
                .append("<th>Ready</th><th>Circuit</th><th class=\"num\">Success</th><th class=\"num\">p50 ms</th>")
                .append("<th class=\"num\">p95 ms</th><th>Recent probes</th><th>Last result / why</th></tr></thead><tbody>\n");
        for (FleetSnapshot.ModelRow m : fleet.models()) {
            String circuit = m.circuit() == null ? "" : m.circuit();
            html.append("<tr class=\"model circuit-").append(cssName(circuit)).append(" phase-").append(cssName(m.phase()))
                    .append("\" data-namespace=\"").append(Html.escape(m.namespace()))
                    .append("\" data-name=\"").append(Html.escape(m.name())).append("\">")
                    .append("<td>").append(Html.escape(m.namespace())).append("</td>")
                    .append("<td class=\"name\">").append(Html.escape(m.name()));
            if (m.description() != null) {
                html.append("<div class=\"desc\">").append(Html.escape(m.description())).append("</div>");
            }
            html.append("</td><td class=\"mono\">").append(Html.escape(m.model())).append("</td>")
                    .append("<td class=\"phase\">").append(Html.escape(m.phase())).append("</td>")
                    .append("<td>").append(Html.escape(m.ready())).append("</td>")
                    .append("<td class=\"circuit\"><span class=\"pill\">").append(Html.escape(circuit)).append("</span></td>")
                    .append("<td class=\"num success\">").append(percent(m.successRate())).append("</td>")
                    .append("<td class=\"num p50\">").append(Html.escape(m.p50Ms())).append("</td>")
                    .append("<td class=\"num p95\">").append(Html.escape(m.p95Ms())).append("</td>")
                    .append("<td class=\"spark-cell\">");
            for (FleetSnapshot.Window w : m.windows()) {
                html.append(Sparkline.svg(w.points(), w.replica()));
            }
            html.append("</td><td class=\"why\">");
            if (m.lastResult() != null) {
                html.append("<span class=\"mono\">").append(Html.escape(m.lastResult())).append("</span>");
            }
            if (m.why() != null) {
                html.append("<div>").append(Html.escape(m.why())).append("</div>");
            }
            html.append("</td></tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private static void routers(StringBuilder html, FleetSnapshot fleet) {
        html.append("<section><h2>ModelRouters</h2>");
        if (fleet.routers().isEmpty()) {
            html.append("<p class=\"empty\">No ModelRouters in the watched namespaces.</p></section>\n");
            return;
        }
        html.append("<table id=\"routers\"><thead><tr><th>Namespace</th><th>Name</th><th>Phase</th><th>Ready</th>")
                .append("<th>Model names: healthy / backends</th><th>Left out</th><th>Why</th></tr></thead><tbody>\n");
        for (FleetSnapshot.RouterRow r : fleet.routers()) {
            html.append("<tr class=\"router phase-").append(cssName(r.phase()))
                    .append("\" data-namespace=\"").append(Html.escape(r.namespace()))
                    .append("\" data-name=\"").append(Html.escape(r.name())).append("\">")
                    .append("<td>").append(Html.escape(r.namespace())).append("</td>")
                    .append("<td class=\"name\">").append(Html.escape(r.name()));
            if (r.description() != null) {
                html.append("<div class=\"desc\">").append(Html.escape(r.description())).append("</div>");
            }
            html.append("</td><td class=\"phase\">").append(Html.escape(r.phase())).append("</td>")
                    .append("<td>").append(Html.escape(r.ready())).append("</td><td class=\"names\">");
            for (FleetSnapshot.RoutedName n : r.models()) {
                html.append("<div class=\"").append(n.healthy() == 0 && n.backends() > 0 ? "bad" : "").append("\">")
                        .append("<span class=\"mono\">").append(Html.escape(n.name())).append("</span> ")
                        .append(n.healthy()).append(" / ").append(n.backends()).append("</div>");
            }
            html.append("</td><td class=\"excluded\">");
            for (FleetSnapshot.RoutedName n : r.models()) {
                for (ExcludedBackend e : n.excluded()) {
                    html.append("<div><span class=\"mono\">").append(Html.escape(e.getLocalModel())).append("</span>: ")
                            .append(Html.escape(e.getReason())).append("</div>");
                }
            }
            html.append("</td><td class=\"why\">").append(Html.escape(r.why())).append("</td></tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private static String percent(Double rate) {
        return rate == null || rate.isNaN() ? "" : String.format(Locale.ROOT, "%.0f %%", rate * 100);
    }

    /** A phase or circuit as a CSS class suffix: letters only, lower case (status values are enum names). */
    private static String cssName(String value) {
        return Objects.requireNonNullElse(value, "none").chars().filter(Character::isLetter)
                .mapToObj(c -> String.valueOf((char) Character.toLowerCase(c))).collect(Collectors.joining());
    }

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1f2328;background:#fff}
            h1{font-size:1.4rem;margin:0 0 .2rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
            .meta{color:#59636e;margin:0}.note{background:#fff8c5;padding:.4rem .6rem;border-radius:4px}
            table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #d1d9e0;vertical-align:top}
            th{background:#f6f8fa;font-weight:600;white-space:nowrap}.num{text-align:right;font-variant-numeric:tabular-nums}
            .mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92em}.name{font-weight:600}
            .desc{font-weight:400;color:#59636e;font-size:.9em}.why{color:#59636e;max-width:28rem}
            .pill{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.9em}
            .circuit-closed .pill{background:#dafbe1;color:#116329}.circuit-halfopen .pill{background:#fff1c2;color:#7d4e00}
            tr.circuit-open{background:#ffebe9}.circuit-open .pill{background:#cf222e;color:#fff;font-weight:600}
            .phase-ready .phase{color:#116329}.phase-degraded .phase,.phase-unavailable .phase,.phase-failed .phase{color:#cf222e;font-weight:600}
            .bad{color:#cf222e;font-weight:600}.spark{display:block;margin:1px 0}
            .spark polyline{fill:none;stroke:#0969da;stroke-width:1.5}.spark .fail{fill:#cf222e;opacity:.6}
            .empty{color:#59636e}
            """;
}
