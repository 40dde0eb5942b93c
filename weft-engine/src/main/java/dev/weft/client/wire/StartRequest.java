package dev.weft.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.weft.StartOptions;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /workflows}: start a run of {@code type}, under {@code id} when given, or under the
 * request's {@code Idempotency-Key} header.
 *
 * @param input the workflow's input, {@code null} when absent
 * @param ifEnded with a key: {@code "fail"} (the default) or {@code "start-new"} when the key's run has ended
 */
public record StartRequest(@Nullable String type, @Nullable JsonNode input,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String id,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String ifEnded) {

    public StartRequest {
        input = WireFields.absentIfNull(input);
    }

    /** The type to start; refused when missing or blank. */
    public String requiredType() {
        return WireFields.required(type, "type");
    }

    /** The request a client sends for {@code options}: its id, or its key's {@code ifEnded} (the key goes in the header). */
    public static StartRequest of(String type, @Nullable JsonNode input, StartOptions options) {
        return new StartRequest(type, input, options.id().orElse(null), IdempotencyKeyHeader.ifEndedOf(options));
    }

    /**
     * The start options, with the request's idempotency key (its {@code Idempotency-Key} header);
     * refused when the id or key is not one the engine accepts, or both are given.
     */
    public StartOptions options(@Nullable String idempotencyKey) {
        return IdempotencyKeyHeader.options(id, idempotencyKey, ifEnded);
    }
}
