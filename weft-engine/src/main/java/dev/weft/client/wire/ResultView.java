package dev.weft.client.wire;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** The answer of {@code GET /workflows/{id}/result} and of a query: one JSON value, {@code null} included. */
public record ResultView(@Nullable JsonNode result) {
}
