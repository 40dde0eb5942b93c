package dev.weft.client.wire;

import dev.weft.StartOptions;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Idempotency-Key} request header of a start, as the IETF HTTP API draft names it, and
 * the body's {@code ifEnded} field that goes with it: read into {@link StartOptions}, each mistake
 * refused naming the header or field.
 */
public final class IdempotencyKeyHeader {

    /** The header's name. */
    public static final String NAME = "Idempotency-Key";

    private IdempotencyKeyHeader() {
    }

    /**
     * Start options from a body's {@code id} and {@code ifEnded} and the request's key header.
     *
     * @throws InvalidFieldException naming {@code id}, {@value #NAME} or {@code ifEnded}
     */
    static StartOptions options(@Nullable String id, @Nullable String key, @Nullable String ifEnded) {
        StartOptions.Builder options = StartOptions.builder();
        if (id != null && key != null) {
            throw new InvalidFieldException(NAME, "Give the run's id or an " + NAME + " header, not both: a keyed start finds or "
                    + "creates its run by the key");
        }
        if (id != null) {
            try {
                options.id(id);
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("id", "Field \"id\" is not a valid workflow id: " + e.getMessage());
            }
        }
        if (key != null) {
            try {
                options.idempotencyKey(key);
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException(NAME, "Header " + NAME + " is not a valid key: " + e.getMessage());
            }
        }
        if (ifEnded != null) {
            if (key == null) {
                throw new InvalidFieldException("ifEnded", "Field \"ifEnded\" applies only to a start with an " + NAME + " header");
            }
            options.ifEnded(switch (ifEnded) {
                case "fail" -> StartOptions.IfEnded.FAIL;
                case "start-new" -> StartOptions.IfEnded.START_NEW;
                default -> throw new InvalidFieldException("ifEnded", "Field \"ifEnded\" must be \"fail\" or \"start-new\", was \""
                        + ifEnded + "\"");
            });
        }
        return options.build();
    }

    /** The body's {@code ifEnded} value for the options: {@code null} for the default. */
    static @Nullable String ifEndedOf(StartOptions options) {
        return options.idempotencyKey().isEmpty() || options.ifEnded() == StartOptions.IfEnded.FAIL ? null
                : options.ifEnded().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
