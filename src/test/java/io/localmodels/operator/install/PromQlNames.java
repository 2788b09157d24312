package io.localmodels.operator.install;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric and label names a PromQL expression (or a Grafana {@code label_values(metric{...}, label)} query) reads:
 * enough of PromQL for dashboards, so a test can hold them against a real scrape. Functions, keywords, durations,
 * numbers, strings and Grafana variables ({@code $namespace}, {@code $__rate_interval}) are not names.
 */
record PromQlNames(Set<String> metrics, Set<String> labels) {

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)$");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");

    static PromQlNames of(String query) {
        Set<String> metrics = new TreeSet<>();
        Set<String> labels = new TreeSet<>();
        String expr = query.strip();
        Matcher labelValues = LABEL_VALUES.matcher(expr);
        if (labelValues.matches()) {
            labels.add(labelValues.group(2));
            expr = labelValues.group(1);
        }
        Matcher selector = SELECTOR.matcher(expr);
        StringBuilder rest = new StringBuilder();
        while (selector.find()) {
            if (selector.group(1) != null) {
                metrics.add(selector.group(1));
            }
            Matcher m = MATCHER.matcher(selector.group(2));
            while (m.find()) {
                labels.add(m.group(1));
            }
            selector.appendReplacement(rest, " ");
        }
        selector.appendTail(rest);
        expr = rest.toString();
        Matcher grouping = GROUPING.matcher(expr);
        rest = new StringBuilder();
        while (grouping.find()) {
            for (String label : grouping.group(2).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.strip());
                }
            }
            grouping.appendReplacement(rest, " ");
        }
        grouping.appendTail(rest);
        // ranges, strings and variables go; what is left names metrics, or functions when a parenthesis follows
        expr = rest.toString().replaceAll("\\[[^]]*]", " ").replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")
                .replaceAll("\\$\\w+", " ");
        Matcher id = IDENTIFIER.matcher(expr);
        while (id.find()) {
            String name = id.group(1);
            if (id.group(2) == null && !KEYWORDS.contains(name.toLowerCase())) {
                metrics.add(name);
            }
        }
        return new PromQlNames(metrics, labels);
    }
}
