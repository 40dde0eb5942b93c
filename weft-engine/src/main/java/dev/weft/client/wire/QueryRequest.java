package dev.weft.client.wire;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** {@code POST /workflows/{id}/query/{name}}: the query's argument, {@code null} when absent. */
public record QueryRequest(@Nullable JsonNode input) {

    public QueryRequest {
        input = WireFields.absentIfNull(input);
    }
}
