package dev.weft.client.wire;

import dev.weft.failure.FailureInfo;
import org.jspecify.annotations.Nullable;

/** {@code POST /activities/fail}: the async activity's token and its error. */
public record FailRequest(@Nullable String token, @Nullable ActivityError error) {

    /** The token; refused when missing or blank. */
    public String requiredToken() {
        return WireFields.required(token, "token");
    }

    /** The failure to record; refused when the error is missing or malformed. */
    public FailureInfo failure() {
        return WireFields.present(error, "error").toFailureInfo();
    }
}
