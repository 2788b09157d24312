package io.localmodels.operator.router;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Compares parsed YAML trees key by key and lists every difference with its path (numbers compared by value). */
final class YamlTrees {

    private YamlTrees() {
    }

    static List<String> differences(Object expected, Object actual) {
        List<String> out = new ArrayList<>();
        compare("", expected, actual, out);
        return out;
    }

    private static void compare(String path, Object expected, Object actual, List<String> out) {
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            for (Object key : e.keySet()) {
                if (!a.containsKey(key)) {
                    out.add(path + "/" + key + ": missing (expected " + e.get(key) + ")");
                } else {
                    compare(path + "/" + key, e.get(key), a.get(key), out);
                }
            }
            for (Object key : a.keySet()) {
                if (!e.containsKey(key)) {
                    out.add(path + "/" + key + ": unexpected " + a.get(key));
                }
            }
            if (out.isEmpty() && !List.copyOf(e.keySet()).equals(List.copyOf(a.keySet()))) {
                out.add(path + ": key order " + a.keySet() + ", expected " + e.keySet());
            }
        } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) {
                out.add(path + ": " + a.size() + " entries, expected " + e.size() + ": " + a);
                return;
            }
            for (int i = 0; i < e.size(); i++) {
                compare(path + "[" + i + "]", e.get(i), a.get(i), out);
            }
        } else if (expected instanceof Number e && actual instanceof Number a) {
            if (new BigDecimal(e.toString()).compareTo(new BigDecimal(a.toString())) != 0) {
                out.add(path + ": " + a + ", expected " + e);
            }
        } else if (!Objects.equals(expected, actual)) {
            out.add(path + ": " + actual + " (" + type(actual) + "), expected " + expected + " (" + type(expected) + ")");
        }
    }

    private static String type(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }
}
