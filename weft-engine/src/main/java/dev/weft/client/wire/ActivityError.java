package dev.weft.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.NonRetryableException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@code error} of a failed async activity.
 *
 * @param name the error's type name; upstream Weft may send it as {@code type}
 * @param category one of the failure categories in lower case; {@code application} when absent
 * @param code the engine's code of the error, for information only
 * @param nonRetryable {@code true} stops the activity's retries
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActivityError(@Nullable String message, @Nullable String name, @Nullable String type, @Nullable String category,
        @Nullable String code, @Nullable Boolean nonRetryable) {

    /** The longest error name accepted. */
    public static final int MAX_NAME_LENGTH = 200;

    /** The error of a failure the client reports. */
    public static ActivityError of(FailureInfo failure) {
        return new ActivityError(failure.message(), failure.simpleType(), null, FailureView.categoryName(failure.category()),
                failure.code(), NonRetryableException.CODE.equals(failure.code()));
    }

    /** The failure to record; refused when the message is missing or a field is malformed. */
    public FailureInfo toFailureInfo() {
        String checkedMessage = WireFields.required(message, "error.message");
        String checkedName = name != null ? name : type;
        if (checkedName != null && (checkedName.isBlank() || checkedName.length() > MAX_NAME_LENGTH)) {
            throw new InvalidFieldException("error.name", "Field \"error.name\" must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        boolean stop = Boolean.TRUE.equals(nonRetryable);
        return new FailureInfo(checkedName == null ? "AsyncActivityError" : checkedName, checkedMessage, parsedCategory(),
                stop ? NonRetryableException.CODE : null, null);
    }

    private FailureCategory parsedCategory() {
        if (category == null) {
            return FailureCategory.APPLICATION;
        }
        try {
            return FailureCategory.valueOf(category.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("error.category",
                    "Field \"error.category\" must be one of application, timeout, cancellation, resource, system");
        }
    }
}
