package dev.weft.client.wire;

import dev.weft.Signals;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The checks of a request's fields, each refusal an {@link InvalidFieldException} naming the
 * field's path; the request records apply them, and the server applies them to path variables.
 */
public final class WireFields {

    private WireFields() {
    }

    /** A string that must be present and not blank. */
    public static String required(@Nullable String value, String path) {
        if (value == null) {
            throw new InvalidFieldException(path, "Missing required field: " + path);
        }
        if (value.isBlank()) {
            throw new InvalidFieldException(path, "Field \"" + path + "\" must be a non-empty string");
        }
        return value;
    }

    /** A value that must be present. */
    public static <T> T present(@Nullable T value, String path) {
        if (value == null) {
            throw new InvalidFieldException(path, "Missing required field: " + path);
        }
        return value;
    }

    /** A signal name, by the rules of {@link Signals}. */
    public static String signalName(String value, String path) {
        if (!Signals.isValidName(value)) {
            throw new InvalidFieldException(path, "Field \"" + path + "\" " + Signals.NAME_RULE);
        }
        return value;
    }

    /** An optional signal id, by the rules of {@link Signals}. */
    public static @Nullable String signalId(@Nullable String value, String path) {
        if (value != null && !Signals.isValidId(value)) {
            throw new InvalidFieldException(path, "Field \"" + path + "\" " + Signals.ID_RULE);
        }
        return value;
    }

    /** A JSON {@code null} is the same as an absent value: the engine sees {@code null} for both. */
    public static @Nullable JsonNode absentIfNull(@Nullable JsonNode value) {
        return value == null || value.isNull() ? null : value;
    }
}
