package io.localmodels.operator.ollama;

/** GET /api/version. */
record VersionResponse(String version) {
}
