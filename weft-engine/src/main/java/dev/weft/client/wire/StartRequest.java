package dev.weft.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.weft.ConcurrencyLimit;
import dev.weft.StartOptions;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /workflows}: start a run of {@code type}, under {@code id} when given, or under the
 * request's {@code Idempotency-Key} header.
 *
 * @param input the workflow's input, {@code null} when absent
 * @param ifEnded with a key: {@code "fail"} (the default) or {@code "start-new"} when the key's run has ended
 * @param concurrencyKey with {@code concurrencyLimit}: at most that many runs of the type and key run at once
 * @param overLimit what a start over the limit does: {@code "queue"} (the default) or {@code "reject"}
 */
public record StartRequest(@Nullable String type, @Nullable JsonNode input,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String id,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String ifEnded,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String concurrencyKey,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer concurrencyLimit,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String overLimit) {

    public StartRequest {
        input = WireFields.absentIfNull(input);
    }

    /** The type to start; refused when missing or blank. */
    public String requiredType() {
        return WireFields.required(type, "type");
    }

    /** The request a client sends for {@code options}: its id, or its key's {@code ifEnded} (the key goes in the header). */
    public static StartRequest of(String type, @Nullable JsonNode input, StartOptions options) {
        ConcurrencyLimit limit = options.concurrency().orElse(null);
        return new StartRequest(type, input, options.id().orElse(null), IdempotencyKeyHeader.ifEndedOf(options),
                limit == null ? null : limit.key(), limit == null ? null : limit.limit(), ConcurrencyFields.overLimitOf(limit));
    }

    /**
     * The start options, with the request's idempotency key (its {@code Idempotency-Key} header);
     * refused when the id or key is not one the engine accepts, or both are given; and the
     * concurrency limit, refused naming its field when it is not one the engine accepts.
     */
    public StartOptions options(@Nullable String idempotencyKey) {
        ConcurrencyLimit limit = ConcurrencyFields.read(concurrencyKey, concurrencyLimit, overLimit);
        StartOptions options = IdempotencyKeyHeader.options(id, idempotencyKey, ifEnded);
        if (limit == null) {
            return options;
        }
        StartOptions.Builder limited = StartOptions.builder().concurrency(limit).ifEnded(options.ifEnded());
        options.id().ifPresent(limited::id);
        options.idempotencyKey().ifPresent(limited::idempotencyKey);
        return limited.build();
    }
}
