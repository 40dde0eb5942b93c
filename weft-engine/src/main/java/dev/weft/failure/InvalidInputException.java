package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/**
 * A caller's value does not fit what the workflow declares: a start's input, a query's argument.
 * Refused before anything is written. The message speaks of the JSON the caller sent, never of
 * the Java types behind it, so an API can show it as it is.
 */
public class InvalidInputException extends WeftException {

    public static final String CODE = "INVALID_INPUT";

    private final String field;

    public InvalidInputException(String field, String message) {
        this(field, message, null);
    }

    public InvalidInputException(String field, String message, @Nullable Throwable cause) {
        super(CODE, FailureCategory.APPLICATION, message, cause);
        this.field = field;
    }

    /**
     * The refusal of {@code root} (such as {@code input}) for the serializer's {@code failure}: its
     * problem when the serializer could tell one, else a sentence that names only the field.
     */
    public static InvalidInputException of(String root, PayloadException failure) {
        return failure.problem()
                .map(problem -> new InvalidInputException(problem.fieldName(root), problem.describe(root), failure))
                .orElseGet(() -> new InvalidInputException(root, "Field \"" + root + "\" does not have the expected shape", failure));
    }

    /** Where in the caller's request the wrong value is, such as {@code input.items[2].sku}. */
    public String field() {
        return field;
    }
}
