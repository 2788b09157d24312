package io.localmodels.operator.ollama;

/** Ollama model references: a reference without a tag means {@code :latest}, as Ollama itself reads it. */
public final class ModelName {

    private ModelName() {
    }

    /** {@code qwen3} → {@code qwen3:latest}; a registry port ({@code host:5000/m}) is not a tag. */
    public static String withTag(String model) {
        String lastSegment = model.substring(model.lastIndexOf('/') + 1);
        return lastSegment.contains(":") ? model : model + ":latest";
    }

    /** Whether a name listed by {@code /api/tags} is the requested model. */
    public static boolean sameModel(String listed, String requested) {
        return listed != null && (listed.equals(requested) || listed.equals(withTag(requested)));
    }
}
