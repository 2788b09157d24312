package io.localmodels.operator.ollama;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Body of /api/show and /api/pull. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ModelRequest(String model, Boolean stream) {
}
