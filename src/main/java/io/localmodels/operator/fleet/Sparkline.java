package io.localmodels.operator.fleet;

import io.localmodels.operator.health.HealthWindow;

import java.util.List;
import java.util.Locale;

/**
 * A small inline SVG of a replica's probe window: the latencies as a line (scaled to the slowest), each failed probe
 * as a red bar, so a page shows at a glance whether a model is slow, getting slower, or failing.
 */
final class Sparkline {

    static final int WIDTH = 120;
    static final int HEIGHT = 24;

    private Sparkline() {
    }

    /** The SVG element, or an empty string for an empty window. */
    static String svg(List<HealthWindow.Point> points, String title) {
        if (points.isEmpty()) {
            return "";
        }
        long max = Math.max(1, points.stream().mapToLong(HealthWindow.Point::latencyMs).max().orElse(1));
        long failed = points.stream().filter(HealthWindow.Point::failure).count();
        double step = points.size() == 1 ? 0 : (WIDTH - 2.0) / (points.size() - 1);
        StringBuilder line = new StringBuilder();
        StringBuilder bars = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            HealthWindow.Point p = points.get(i);
            double x = 1 + i * step;
            double y = HEIGHT - 2 - (HEIGHT - 4.0) * p.latencyMs() / max;
            line.append(line.isEmpty() ? "" : " ").append(format(x)).append(',').append(format(y));
            if (p.failure()) {
                bars.append("<rect class=\"fail\" x=\"").append(format(x - 1)).append("\" y=\"0\" width=\"2\" height=\"")
                        .append(HEIGHT).append("\"/>");
            }
        }
        String label = title + ": " + points.size() + " probes, " + failed + " failed, slowest " + max + " ms";
        return "<svg class=\"spark\" width=\"" + WIDTH + "\" height=\"" + HEIGHT + "\" viewBox=\"0 0 " + WIDTH + " "
                + HEIGHT + "\" role=\"img\" aria-label=\"" + Html.escape(label) + "\"><title>" + Html.escape(label)
                + "</title>" + bars + "<polyline points=\"" + line + "\"/></svg>";
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
