package dev.weft.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** A signal with its name: the {@code signal} object of a start-or-signal request. */
public record NamedSignal(@Nullable String name, @Nullable JsonNode payload,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String signalId) {

    public NamedSignal {
        payload = WireFields.absentIfNull(payload);
    }
}
