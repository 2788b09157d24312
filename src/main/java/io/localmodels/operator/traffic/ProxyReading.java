package io.localmodels.operator.traffic;

import io.localmodels.operator.traffic.PrometheusText.Sample;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One scrape of one proxy pod: the per-deployment counters (each series by its full label set, with its creation
 * time) and LiteLLM's deployment state per {@code model_id}. Series without a {@code model_id} are left out: they
 * cannot be mapped to a backend.
 */
record ProxyReading(Map<SeriesKey, Point> counters, Map<String, Integer> states) {

    /** A counter series: the metric (without suffix) and its labels ({@code le} included for histogram buckets). */
    record SeriesKey(String metric, Map<String, String> labels) {

        String modelId() {
            return labels.get(DeploymentSeries.MODEL_ID);
        }
    }

    /** A counter's value and, when the proxy says it, when the series was created (a restart creates it anew). */
    record Point(double value, double created) {
    }

    private static final Set<String> COUNTERS = Set.of(DeploymentSeries.TOTAL, DeploymentSeries.SUCCESS,
            DeploymentSeries.FAILURE);

    static ProxyReading of(List<Sample> samples) {
        Map<SeriesKey, Double> values = new HashMap<>();
        Map<SeriesKey, Double> created = new HashMap<>();
        Map<String, Integer> states = new HashMap<>();
        for (Sample s : samples) {
            String id = s.labels().get(DeploymentSeries.MODEL_ID);
            if (id == null || id.isEmpty() || "None".equals(id)) {
                continue;
            }
            String name = s.name();
            if (name.equals(DeploymentSeries.STATE)) {
                // several workers' gauges (multiprocess mode adds a pid label) or label sets: the worst one counts
                states.merge(id, (int) s.value(), Math::max);
            } else if (name.endsWith(DeploymentSeries.COUNTER_SUFFIX) && COUNTERS.contains(strip(name, DeploymentSeries.COUNTER_SUFFIX))) {
                values.merge(new SeriesKey(strip(name, DeploymentSeries.COUNTER_SUFFIX), s.labels()), s.value(), Double::sum);
            } else if (name.endsWith(DeploymentSeries.CREATED_SUFFIX) && COUNTERS.contains(strip(name, DeploymentSeries.CREATED_SUFFIX))) {
                created.put(new SeriesKey(strip(name, DeploymentSeries.CREATED_SUFFIX), s.labels()), s.value());
            } else if (name.equals(DeploymentSeries.LATENCY + DeploymentSeries.BUCKET_SUFFIX)) {
                values.merge(new SeriesKey(DeploymentSeries.LATENCY, s.labels()), s.value(), Double::sum);
            } else if (name.equals(DeploymentSeries.LATENCY + DeploymentSeries.CREATED_SUFFIX)) {
                created.put(new SeriesKey(DeploymentSeries.LATENCY, s.labels()), s.value());
            }
        }
        Map<SeriesKey, Point> counters = new HashMap<>();
        values.forEach((key, value) -> {
            // a histogram's _created has no le: look it up without
            Double c = created.get(key);
            if (c == null && key.labels().containsKey(DeploymentSeries.LE)) {
                Map<String, String> withoutLe = new HashMap<>(key.labels());
                withoutLe.remove(DeploymentSeries.LE);
                c = created.get(new SeriesKey(key.metric(), withoutLe));
            }
            counters.put(key, new Point(value, c == null ? Double.NaN : c));
        });
        return new ProxyReading(Map.copyOf(counters), Map.copyOf(states));
    }

    static ProxyReading parse(String text) {
        return of(PrometheusText.parse(text));
    }

    private static String strip(String name, String suffix) {
        return name.substring(0, name.length() - suffix.length());
    }
}
