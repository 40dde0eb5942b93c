package dev.weft.client.wire;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** {@code POST /activities/complete}: the async activity's token and its result. */
public record CompleteRequest(@Nullable String token, @Nullable JsonNode result) {

    public CompleteRequest {
        result = WireFields.absentIfNull(result);
    }

    /** The token; refused when missing or blank. */
    public String requiredToken() {
        return WireFields.required(token, "token");
    }
}
