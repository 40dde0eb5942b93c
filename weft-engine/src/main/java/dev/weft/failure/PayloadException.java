package dev.weft.failure;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A value could not be turned into JSON, or JSON into the requested type. The message is for
 * the developer and names Java types; {@link #problem()}, when the serializer can tell, says what
 * was wrong in the terms of the JSON document alone, fit to show whoever sent it.
 */
public class PayloadException extends WeftException {

    public static final String CODE = "INVALID_PAYLOAD";

    private final @Nullable Problem problem;

    public PayloadException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public PayloadException(String message, @Nullable Problem problem, Throwable cause) {
        super(CODE, FailureCategory.APPLICATION, message, cause);
        this.problem = problem;
    }

    /** What was wrong with the JSON, without naming any Java type; empty when it is not known. */
    public Optional<Problem> problem() {
        return Optional.ofNullable(problem);
    }

    /**
     * What was wrong with a JSON document, in its own terms.
     *
     * @param path where in the document, such as {@code items[2].sku}; empty for the document itself
     * @param reason what was wrong there, such as {@code must be a number}
     */
    public record Problem(String path, String reason) {

        /** The problem as a sentence about the document named {@code root}: {@code Field "input.items[2].sku" must be a string}. */
        public String describe(String root) {
            return "Field \"" + fieldName(root) + "\" " + reason;
        }

        /** The problem's place under {@code root}: {@code input.items[2].sku}. */
        public String fieldName(String root) {
            if (path.isEmpty()) {
                return root;
            }
            return path.startsWith("[") ? root + path : root + "." + path;
        }
    }
}
