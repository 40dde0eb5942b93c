package dev.weft.client.wire;

import dev.weft.ConcurrencyLimit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A start request's {@code concurrencyKey}, {@code concurrencyLimit} and {@code overLimit} fields,
 * read into a {@link ConcurrencyLimit}: all three absent, or the key and limit together; each
 * mistake refused naming its field.
 */
final class ConcurrencyFields {

    static final String KEY = "concurrencyKey";
    static final String LIMIT = "concurrencyLimit";
    static final String OVER_LIMIT = "overLimit";

    private ConcurrencyFields() {
    }

    /**
     * @return the limit, or {@code null} when the request names none
     * @throws InvalidFieldException naming the field that is missing or wrong
     */
    static @Nullable ConcurrencyLimit read(@Nullable String key, @Nullable Integer limit, @Nullable String overLimit) {
        if (key == null && limit == null) {
            if (overLimit != null) {
                throw new InvalidFieldException(OVER_LIMIT, "Field \"overLimit\" applies only to a start with a \"concurrencyKey\"");
            }
            return null;
        }
        if (key == null) {
            throw new InvalidFieldException(KEY, "Field \"concurrencyLimit\" needs a \"concurrencyKey\": the limit counts the runs of one key");
        }
        if (limit == null) {
            throw new InvalidFieldException(LIMIT, "Field \"concurrencyKey\" needs a \"concurrencyLimit\": how many runs of the key may run at once");
        }
        ConcurrencyLimit.OverLimit mode = overLimit == null ? ConcurrencyLimit.OverLimit.QUEUE : switch (overLimit) {
            case "queue" -> ConcurrencyLimit.OverLimit.QUEUE;
            case "reject" -> ConcurrencyLimit.OverLimit.REJECT;
            default -> throw new InvalidFieldException(OVER_LIMIT, "Field \"overLimit\" must be \"queue\" or \"reject\", was \""
                    + overLimit + "\"");
        };
        try {
            return new ConcurrencyLimit(key, limit, mode);
        } catch (IllegalArgumentException e) {
            String field = e.getMessage() != null && e.getMessage().startsWith("concurrency limit") ? LIMIT : KEY;
            throw new InvalidFieldException(field, "Field \"" + field + "\" is not valid: " + e.getMessage());
        }
    }

    /** The wire name of a mode: {@code null} for the default. */
    static @Nullable String overLimitOf(@Nullable ConcurrencyLimit limit) {
        return limit == null || limit.overLimit() == ConcurrencyLimit.OverLimit.QUEUE ? null
                : limit.overLimit().name().toLowerCase(Locale.ROOT);
    }
}
