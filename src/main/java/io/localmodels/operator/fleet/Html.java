package io.localmodels.operator.fleet;

/** Escapes text for HTML element content and quoted attribute values: every user string goes through here. */
final class Html {

    private Html() {
    }

    /** {@code &}, {@code <}, {@code >}, {@code "} and {@code '} as entities; null as the empty string. */
    static String escape(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
