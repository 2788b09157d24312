package io.localmodels.operator.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector in its string form ({@code tier=gpu,shard in (a,b),!legacy}), parsed and checked as
 * the API server does ({@code k8s.io/apimachinery/pkg/labels.Parse}), so a bad {@code --selector} is refused at start
 * rather than by every list and watch; and matched against labels, to tell a LocalModel outside the shard.
 * Requirements are ANDed; {@link #toString()} is the canonical form (sorted by key), the same for equal selectors.
 */
public final class LabelSelector {

    /** One requirement of a selector. */
    public enum Operator {
        EQUALS("="), NOT_EQUALS("!="), IN(" in "), NOT_IN(" notin "), EXISTS(""), DOES_NOT_EXIST(""), GT(">"), LT("<");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }
    }

    /** A key, an operator and its values (sorted; one for =, !=, &gt;, &lt;; none for exists). */
    public record Requirement(String key, Operator operator, List<String> values) {

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
                case GT, LT -> value != null && compares(value);
            };
        }

        private boolean compares(String value) {
            try {
                long have = Long.parseLong(value);
                long bound = Long.parseLong(values.get(0));
                return operator == Operator.GT ? have > bound : have < bound;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return switch (operator) {
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
                case IN, NOT_IN -> key + operator.symbol + "(" + String.join(",", values) + ")";
                default -> key + operator.symbol + values.get(0);
            };
        }
    }

    private static final Pattern NAME = Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
    private static final Pattern VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern INTEGER = Pattern.compile("^-?[0-9]+$");

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /**
     * Parses {@code text}; a message that quotes the offending part when it is not a selector the API server takes.
     *
     * @throws IllegalArgumentException naming what is wrong, e.g. {@code 'Shard' ... is not a label key}
     */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        List<Requirement> out = new ArrayList<>();
        Lexer lexer = new Lexer(text);
        do {
            out.add(lexer.requirement());
        } while (lexer.comma());
        lexer.end();
        out.sort(Comparator.comparing(Requirement::key).thenComparing(r -> r.operator().ordinal()));
        return new LabelSelector(List.copyOf(out));
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    /** Whether an object with {@code labels} (null: none) is selected. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> have = labels == null ? Map.of() : labels;
        return requirements.stream().allMatch(r -> r.matches(have));
    }

    @Override
    public String toString() {
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && other.requirements.equals(requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }

    /** Whether {@code s} can be a label value: at most 63 characters, alphanumeric at both ends (or empty). */
    public static boolean isLabelValue(String s) {
        return s.length() <= 63 && VALUE.matcher(s).matches();
    }

    /** Whether {@code s} can be a label key: an optional DNS subdomain prefix and '/', then a name of at most 63. */
    public static boolean isLabelKey(String s) {
        int slash = s.indexOf('/');
        String name = slash < 0 ? s : s.substring(slash + 1);
        if (slash >= 0) {
            String prefix = s.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
        }
        return name.length() <= 63 && NAME.matcher(name).matches();
    }

    /** The tokens of Kubernetes' selector lexer: identifiers and the operators between them. */
    private static final class Lexer {
        private final String text;
        private int at;

        Lexer(String text) {
            this.text = text;
        }

        Requirement requirement() {
            skipSpace();
            if (peek("!") && !peek("!=")) {
                at++;
                return new Requirement(key(), Operator.DOES_NOT_EXIST, List.of());
            }
            String key = key();
            skipSpace();
            if (atEnd() || peek(",")) {
                return new Requirement(key, Operator.EXISTS, List.of());
            }
            if (take("==") || take("=")) {
                return new Requirement(key, Operator.EQUALS, List.of(value(key)));
            }
            if (take("!=")) {
                return new Requirement(key, Operator.NOT_EQUALS, List.of(value(key)));
            }
            if (take(">") || take("<")) {
                Operator op = text.charAt(at - 1) == '>' ? Operator.GT : Operator.LT;
                String bound = value(key);
                if (!INTEGER.matcher(bound).matches()) {
                    throw new IllegalArgumentException("'" + key + op.symbol + bound + "': " + op.symbol
                            + " needs an integer value");
                }
                return new Requirement(key, op, List.of(bound));
            }
            String word = identifier();
            Operator op = switch (word) {
                case "in" -> Operator.IN;
                case "notin" -> Operator.NOT_IN;
                default -> throw new IllegalArgumentException("after '" + key + "': expected =, ==, !=, in, notin, "
                        + "> or <, found '" + (word.isEmpty() ? rest() : word) + "'");
            };
            return new Requirement(key, op, valueSet(key, word));
        }

        private List<String> valueSet(String key, String word) {
            skipSpace();
            if (!take("(")) {
                throw new IllegalArgumentException("'" + key + " " + word + "': expected '(' and a list of values");
            }
            Set<String> values = new TreeSet<>();
            do {
                skipSpace();
                String v = identifier();
                checkValue(key, v);
                if (!v.isEmpty()) {
                    values.add(v);
                }
                skipSpace();
            } while (take(","));
            if (!take(")")) {
                throw new IllegalArgumentException("'" + key + " " + word + " (': expected ',' or ')', found '"
                        + rest() + "'");
            }
            if (values.isEmpty()) {
                throw new IllegalArgumentException("'" + key + " " + word + " ()': the set of values is empty");
            }
            return List.copyOf(values);
        }

        private String key() {
            skipSpace();
            String key = identifier();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("expected a label key, found '" + rest() + "'");
            }
            if (!isLabelKey(key)) {
                throw new IllegalArgumentException("'" + key + "' is not a label key (an optional DNS subdomain "
                        + "prefix and '/', then at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends)");
            }
            return key;
        }

        private String value(String key) {
            skipSpace();
            String v = identifier();
            checkValue(key, v);
            return v;
        }

        private static void checkValue(String key, String v) {
            if (!isLabelValue(v)) {
                throw new IllegalArgumentException("'" + v + "' (for " + key + ") is not a label value (at most 63 "
                        + "letters, digits, '-', '_' or '.', alphanumeric at both ends)");
            }
        }

        /** A run of characters that are neither space nor one of the selector's symbols. */
        private String identifier() {
            int start = at;
            while (!atEnd() && !Character.isWhitespace(text.charAt(at)) && "!=,()<>".indexOf(text.charAt(at)) < 0) {
                at++;
            }
            return text.substring(start, at);
        }

        boolean comma() {
            skipSpace();
            return take(",");
        }

        void end() {
            skipSpace();
            if (!atEnd()) {
                throw new IllegalArgumentException("unexpected '" + rest() + "'");
            }
        }

        private boolean take(String token) {
            if (peek(token)) {
                at += token.length();
                return true;
            }
            return false;
        }

        private boolean peek(String token) {
            return text.startsWith(token, at);
        }

        private void skipSpace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private boolean atEnd() {
            return at >= text.length();
        }

        private String rest() {
            return atEnd() ? "the end" : text.substring(at);
        }
    }
}
