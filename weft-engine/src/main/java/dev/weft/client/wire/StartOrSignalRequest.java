package dev.weft.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.weft.StartOptions;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /workflows/start-or-signal}: start the run {@code id} (or the run of the request's
 * {@code Idempotency-Key} header) and signal it, or signal it when it runs. The signal comes as a {@code signal} object or, as upstream Weft sends it, flat
 * in {@code signalName}, {@code signalPayload} and {@code signalId}; never both.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StartOrSignalRequest(@Nullable String type, @Nullable String id,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable JsonNode input, @Nullable NamedSignal signal,
        @Nullable String signalName, @Nullable JsonNode signalPayload, @Nullable String signalId) {

    public StartOrSignalRequest {
        input = WireFields.absentIfNull(input);
        signalPayload = WireFields.absentIfNull(signalPayload);
    }

    /** The nested form, which {@code HttpWorkflowClient} sends. */
    public static StartOrSignalRequest of(String type, @Nullable String id, @Nullable JsonNode input, NamedSignal signal) {
        return new StartOrSignalRequest(type, id, input, signal, null, null, null);
    }

    /** The type to start; refused when missing or blank. */
    public String requiredType() {
        return WireFields.required(type, "type");
    }

    /**
     * Options naming the run by its id or by the request's idempotency key (its
     * {@code Idempotency-Key} header); refused when neither or both are given, or either is not
     * one the engine accepts.
     */
    public StartOptions options(@Nullable String idempotencyKey) {
        if (idempotencyKey == null) {
            WireFields.required(id, "id");
        }
        return IdempotencyKeyHeader.options(id, idempotencyKey, null);
    }

    /** The signal to send, from either form, with its name and id checked. */
    public NamedSignal checkedSignal() {
        if (signal != null) {
            if (signalName != null) {
                throw new InvalidFieldException("signal", "Use either signal or signalName, not both");
            }
            String name = WireFields.signalName(WireFields.required(signal.name(), "signal.name"), "signal.name");
            return new NamedSignal(name, signal.payload(), WireFields.signalId(signal.signalId(), "signal.signalId"));
        }
        if (signalName != null) {
            String name = WireFields.signalName(WireFields.required(signalName, "signalName"), "signalName");
            return new NamedSignal(name, signalPayload, WireFields.signalId(signalId, "signalId"));
        }
        throw new InvalidFieldException("signal", "Missing required field: signal");
    }
}
