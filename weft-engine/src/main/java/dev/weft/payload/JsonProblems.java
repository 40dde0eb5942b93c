package dev.weft.payload;

import dev.weft.failure.PayloadException.Problem;
import java.time.Duration;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Turns Jackson's reading failures into {@link Problem}s that speak of the JSON document only:
 * Jackson's own messages name the Java classes being built, which an API must not show its callers.
 */
final class JsonProblems {

    private JsonProblems() {
    }

    static Problem of(JacksonException e) {
        String path = path(e);
        return switch (e) {
            case UnrecognizedPropertyException unknown -> new Problem(path, "is not a known field");
            case MismatchedInputException mismatch -> new Problem(path, "must be " + jsonKind(mismatch.getTargetType()));
            case ValueInstantiationException refused -> new Problem(path, refusedBecause(refused));
            case StreamReadException malformed -> new Problem(path, "is not valid JSON");
            default -> new Problem(path, "does not have the expected shape");
        };
    }

    /** {@code items[2].sku}, from Jackson's path of property names and array indexes. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference step : e.getPath()) {
            String property = step.getPropertyName();
            if (property != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(property);
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The JSON kind a Java type is read from, as a caller would say it. */
    private static String jsonKind(@Nullable Class<?> type) {
        if (type == null) {
            return "of another kind";
        }
        if (type.isPrimitive() && type != boolean.class && type != char.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class
                || Temporal.class.isAssignableFrom(type) || Duration.class == type
                || UUID.class == type) {
            return "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "of another kind";
    }

    /**
     * An application's constructor refused the value: its {@link IllegalArgumentException} message
     * is the application's own validation, written for callers; anything else stays in the logs.
     */
    private static String refusedBecause(ValueInstantiationException refused) {
        if (refused.getCause() instanceof IllegalArgumentException invalid && invalid.getMessage() != null) {
            return "was refused: " + invalid.getMessage();
        }
        return "was refused";
    }
}
