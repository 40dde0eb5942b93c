package dev.weft.failure;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A failure as the journal records it. Workflow code only ever sees failures rebuilt from this
 * record, never the live exception, so a workflow behaves the same when it is replayed.
 *
 * @param type the fully qualified class name of the exception that was thrown
 * @param message its message, or an empty string
 * @param category its category
 * @param code the stable code when the exception was a {@link WeftException}, else {@code null}
 * @param stackTrace the stack trace for diagnosis, cut to {@value #MAX_STACK_TRACE_CHARS} characters
 */
public record FailureInfo(
        String type, String message, FailureCategory category, @Nullable String code, @Nullable String stackTrace) {

    public static final int MAX_STACK_TRACE_CHARS = 4000;

    public FailureInfo {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(category, "category");
        message = message == null ? "" : message;
    }

    /** Records a live exception. */
    public static FailureInfo of(Throwable error) {
        if (error instanceof WeftException weft) {
            return new FailureInfo(error.getClass().getName(), messageOf(error), weft.category(), weft.code(), stackTraceOf(error));
        }
        return new FailureInfo(error.getClass().getName(), messageOf(error), FailureCategory.APPLICATION, null, stackTraceOf(error));
    }

    /** The simple class name of {@link #type()}. */
    public String simpleType() {
        int dot = type.lastIndexOf('.');
        int dollar = type.lastIndexOf('$');
        return type.substring(Math.max(dot, dollar) + 1);
    }

    private static String messageOf(Throwable error) {
        return error.getMessage() == null ? "" : error.getMessage();
    }

    private static String stackTraceOf(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        String trace = out.toString();
        return trace.length() <= MAX_STACK_TRACE_CHARS ? trace : trace.substring(0, MAX_STACK_TRACE_CHARS);
    }
}
