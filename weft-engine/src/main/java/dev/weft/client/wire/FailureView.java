package dev.weft.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A failure as the API shows it: never its stack trace.
 *
 * @param type the simple name of the failure's type
 * @param category the failure category in lower case
 * @param code the engine's stable code, when the failure had one
 */
public record FailureView(@Nullable String type, @Nullable String message, @Nullable String category,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String code) {

    public static FailureView of(FailureInfo failure) {
        return new FailureView(failure.simpleType(), failure.message(), categoryName(failure.category()), failure.code());
    }

    /** The failure, with the defaults of an older or foreign server for what it left out. */
    public FailureInfo toFailureInfo() {
        FailureCategory parsed;
        try {
            parsed = category == null ? FailureCategory.APPLICATION : FailureCategory.valueOf(category.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            parsed = FailureCategory.APPLICATION;
        }
        return new FailureInfo(type == null ? "Error" : type, message == null ? "" : message, parsed, code, null);
    }

    static String categoryName(FailureCategory category) {
        return category.name().toLowerCase(Locale.ROOT);
    }
}
