package io.localmodels.operator.ollama;

import java.util.Locale;

/**
 * An Ollama model reference read the way Ollama 0.12.6 reads it ({@code types/model/name.go}: {@code ParseName}):
 * host {@code registry.ollama.ai}, namespace {@code library} and tag {@code latest} when absent. {@code /api/tags}
 * lists the {@link #displayShortest() shortest} form, so {@code registry.ollama.ai/library/qwen3:30b},
 * {@code library/qwen3:30b} and {@code qwen3:30b} are one model, listed as {@code qwen3:30b}.
 */
public record ModelName(String host, String namespace, String model, String tag) {

    static final String DEFAULT_HOST = "registry.ollama.ai";
    static final String DEFAULT_NAMESPACE = "library";
    static final String DEFAULT_TAG = "latest";
    /** What Ollama puts in a part that a separator promised but the reference left empty: never valid. */
    private static final String MISSING = "!MISSING!";

    /** Parses like Ollama's {@code ParseName}: the tag follows the last ':' after the last '/'; a port is no tag. */
    public static ModelName parse(String reference) {
        String s = reference;
        String tag = "";
        if (s.lastIndexOf(':') > s.lastIndexOf('/')) {
            String[] cut = cutLast(s, ':');
            s = cut[0];
            tag = cut[1];
        }
        int slash = s.lastIndexOf('/');
        if (slash < 0) {
            return new ModelName(DEFAULT_HOST, DEFAULT_NAMESPACE, s, orDefault(tag, DEFAULT_TAG));
        }
        String[] cut = cutLast(s, '/');
        String model = cut[1];
        s = cut[0];
        if (s.lastIndexOf('/') < 0) {
            return new ModelName(DEFAULT_HOST, s, model, orDefault(tag, DEFAULT_TAG));
        }
        cut = cutLast(s, '/');
        String namespace = cut[1];
        String host = cut[0];
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        return new ModelName(orDefault(host, DEFAULT_HOST), namespace, model, orDefault(tag, DEFAULT_TAG));
    }

    /** The name {@code /api/tags} lists: host and namespace only where they differ from the defaults, always a tag. */
    public String displayShortest() {
        StringBuilder sb = new StringBuilder();
        if (!host.equalsIgnoreCase(DEFAULT_HOST)) {
            sb.append(host).append('/').append(namespace).append('/');
        } else if (!namespace.equalsIgnoreCase(DEFAULT_NAMESPACE)) {
            sb.append(namespace).append('/');
        }
        return sb.append(model).append(':').append(tag).toString();
    }

    /** Whether Ollama accepts the reference ({@code IsFullyQualified}); it answers a pull of any other with 400. */
    public boolean isValid() {
        return validPart(host, 350, ".:") && validPart(namespace, 80, "") && validPart(model, 80, ".")
                && validPart(tag, 80, ".");
    }

    /** Ollama compares names case-insensitively ({@code EqualFold}) and keeps the case of the first pull. */
    public boolean sameAs(ModelName other) {
        return host.equalsIgnoreCase(other.host) && namespace.equalsIgnoreCase(other.namespace)
                && model.equalsIgnoreCase(other.model) && tag.equalsIgnoreCase(other.tag);
    }

    /** One key per model whatever spelling a spec uses: the shortest form, lower case. */
    public static String key(String reference) {
        return parse(reference).displayShortest().toLowerCase(Locale.ROOT);
    }

    /** Whether a name listed by {@code /api/tags} or {@code /api/ps} is the requested model. */
    public static boolean sameModel(String listed, String requested) {
        return listed != null && requested != null && parse(listed).sameAs(parse(requested));
    }

    /** Letters, digits and '_' first; then also '-', '_' and the part's extra characters. */
    private static boolean validPart(String part, int maxLength, String extra) {
        if (part.isEmpty() || part.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean word = c < 128 && (Character.isLetterOrDigit(c) || c == '_');
            if (!word && (i == 0 || (c != '-' && extra.indexOf(c) < 0))) {
                return false;
            }
        }
        return true;
    }

    private static String[] cutLast(String s, char separator) {
        int at = s.lastIndexOf(separator);
        return new String[] {orDefault(s.substring(0, at), MISSING), orDefault(s.substring(at + 1), MISSING)};
    }

    private static String orDefault(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }
}
