package io.localmodels.operator.router;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The YAML text of each {@code model_list} entry of a router's last render, so that the next render dumps only the
 * entries that changed: a backend coming up changes one entry of a thousand. Keyed by the entry itself (its maps
 * compare by content; one code path builds every entry, so equal entries have their keys in the same order and dump
 * alike). Keeps only the entries of the last render. One reconcile of a router at a time uses it; not thread-safe.
 */
final class EntryTexts {

    private Map<Map<String, Object>, String> last = new HashMap<>();
    private Map<Map<String, Object>, String> current = new HashMap<>();

    /** The entry's text from the last render, or {@code dump}'s. */
    String text(Map<String, Object> entry, Function<Map<String, Object>, String> dump) {
        String text = last.get(entry);
        if (text == null) {
            text = dump.apply(entry);
        }
        current.put(entry, text);
        return text;
    }

    /** The entries of the render just done are the ones the next render may reuse. */
    void renderDone() {
        last = current;
        current = new HashMap<>(last.size() * 2);
    }
}
