package dev.weft;

import dev.weft.failure.DefinitionNames;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The rules for a signal's name and its optional idempotency key, written once for the engine,
 * the REST API and the HTTP client, so all three refuse the same signals with the same words.
 * A name is 1 to {@value #MAX_NAME_LENGTH} characters (its column's width); a signal id is 1 to
 * {@value #MAX_ID_BYTES} bytes in UTF-8 (it is part of a unique key).
 */
public final class Signals {

    /** The longest signal name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 200;
    /** The longest signal id accepted, in UTF-8 bytes. */
    public static final int MAX_ID_BYTES = 128;
    /** What a valid name is, to end a sentence that names the field. */
    public static final String NAME_RULE = "must be 1 to " + MAX_NAME_LENGTH + " characters of valid Unicode with no control characters";
    /** What a valid signal id is, to end a sentence that names the field. */
    public static final String ID_RULE = "must be 1 to " + MAX_ID_BYTES + " bytes of valid Unicode with no control characters";

    private Signals() {
    }

    /** Whether {@code name} is a signal name the engine accepts. */
    public static boolean isValidName(String name) {
        return !name.isBlank() && name.length() <= MAX_NAME_LENGTH && DefinitionNames.isPlainText(name);
    }

    /** Whether {@code signalId} is a signal id the engine accepts. */
    public static boolean isValidId(String signalId) {
        return !signalId.isBlank() && DefinitionNames.isPlainText(signalId)
                && signalId.getBytes(StandardCharsets.UTF_8).length <= MAX_ID_BYTES;
    }

    /**
     * Returns {@code name} when it is valid.
     *
     * @throws IllegalArgumentException when it is not
     */
    public static String requireValidName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("a signal name " + NAME_RULE);
        }
        return name;
    }

    /**
     * Returns {@code signalId} when it is absent or valid.
     *
     * @throws IllegalArgumentException when it is present and not valid
     */
    public static @Nullable String requireValidId(@Nullable String signalId) {
        if (signalId != null && !isValidId(signalId)) {
            throw new IllegalArgumentException("signalId " + ID_RULE);
        }
        return signalId;
    }
}
