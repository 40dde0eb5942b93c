package dev.weft.failure;


/**
 * The rule every workflow and activity name follows, checked when a definition is made: a name
 * the store could not hold (too long for its column, a NUL that PostgreSQL refuses in text, a
 * lone surrogate that is no Unicode at all) would otherwise be accepted here and fail every start
 * or every step later, far from the mistake.
 */
public final class DefinitionNames {

    /** The longest workflow or activity name, in characters: the width of the run table's type column. */
    public static final int MAX_LENGTH = 200;

    /** The longest idempotency key (of a start or of an activity call), in characters. */
    public static final int MAX_KEY_LENGTH = 255;

    private static final int SHOWN = 40;

    private DefinitionNames() {
    }

    /** Refuses {@code name}, described as {@code what} ("a workflow name"), unless it follows the rule. */
    public static void check(String what, String name) {
        if (name.isBlank()) {
            throw new InvalidDefinitionException(what + " must not be blank");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidDefinitionException(what + " must be at most " + MAX_LENGTH + " characters, '"
                    + name.substring(0, SHOWN) + "…' has " + name.length());
        }
        int bad = firstUnplainIndex(name);
        if (bad < 0) {
            return;
        }
        char c = name.charAt(bad);
        if (Character.isISOControl(c)) {
            throw new InvalidDefinitionException(what + " must not contain control characters, '"
                    + printable(name) + "' has U+" + String.format("%04X", (int) c) + " at index " + bad);
        }
        throw new InvalidDefinitionException(what + " must be valid Unicode, '" + printable(name)
                + "' has a lone surrogate at index " + bad);
    }

    /**
     * Whether {@code text} is valid Unicode with no control characters: what every name and key the
     * store indexes (run ids, signal names and ids, types) must be, since PostgreSQL refuses a NUL
     * in text and a lone surrogate would be stored mangled, so the caller's key would never find it.
     */
    public static boolean isPlainText(String text) {
        return firstUnplainIndex(text) < 0;
    }

    /** Whether {@code key} can be an idempotency key: 1 to {@value #MAX_KEY_LENGTH} characters of {@link #isPlainText plain text}. */
    public static boolean isValidKey(String key) {
        return !key.isEmpty() && key.length() <= MAX_KEY_LENGTH && isPlainText(key);
    }

    /** The index of the first control character or lone surrogate in {@code text}, or -1. */
    private static int firstUnplainIndex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The name with anything unprintable shown as '?', so the message itself is safe to log and store. */
    private static String printable(String name) {
        StringBuilder shown = new StringBuilder();
        name.codePoints().limit(SHOWN).forEach(cp -> shown.appendCodePoint(
                Character.isISOControl(cp) || Character.isSurrogate((char) cp) && cp <= 0xFFFF ? '?' : cp));
        return shown.toString();
    }
}
