package dev.weft.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /workflows/{id}/signal/{name}}: a signal's payload and its optional idempotency key.
 *
 * @param signalId a second signal with the same key is acknowledged and ignored
 */
public record SignalRequest(@Nullable JsonNode payload, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String signalId) {

    public SignalRequest {
        payload = WireFields.absentIfNull(payload);
    }

    /** The signal id; refused when present and not one the engine accepts. */
    public @Nullable String checkedSignalId() {
        return WireFields.signalId(signalId, "signalId");
    }
}
