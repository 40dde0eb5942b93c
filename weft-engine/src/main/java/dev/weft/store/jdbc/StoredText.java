package dev.weft.store.jdbc;

import org.jspecify.annotations.Nullable;

/**
 * The reversible form in which free text from user code (an exception's message and stack trace)
 * is stored. PostgreSQL refuses U+0000 in any text column, and no database can hold a lone UTF-16
 * surrogate (the drivers turn it into {@code ?}), yet both can come from an application's
 * exception. Such a text is stored escaped, the same way on every database, and read back exactly
 * as it was given.
 *
 * <p>A text without NUL or lone surrogates is stored as it is, so that an operator reading the
 * tables sees plain messages. An escaped text starts with {@value #ESCAPED}; in the rest a
 * backslash is {@code \\}, a NUL {@code \0} and a lone surrogate {@code \\uXXXX}. A text that
 * itself starts with {@value #ESCAPED} is escaped too, so that reading can never mistake it.
 */
final class StoredText {

    /** The mark of an escaped text. */
    static final String ESCAPED = "weft-escaped:";

    private StoredText() {
    }

    /** {@code text} as it is stored. */
    static @Nullable String encode(@Nullable String text) {
        if (text == null || (!text.startsWith(ESCAPED) && storable(text))) {
            return text;
        }
        StringBuilder out = new StringBuilder(ESCAPED.length() + text.length() + 8).append(ESCAPED);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\0') {
                out.append("\\0");
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The text that was given to {@link #encode}, from what is stored. */
    static @Nullable String decode(@Nullable String stored) {
        if (stored == null || !stored.startsWith(ESCAPED)) {
            return stored;
        }
        StringBuilder out = new StringBuilder(stored.length());
        for (int i = ESCAPED.length(); i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (c != '\\' || i + 1 == stored.length()) {
                out.append(c);
                continue;
            }
            char escaped = stored.charAt(++i);
            switch (escaped) {
                case '0' -> out.append('\0');
                case 'u' -> {
                    if (i + 5 <= stored.length()) {
                        out.append((char) Integer.parseInt(stored, i + 1, i + 5, 16));
                        i += 4;
                    } else {
                        // not written by encode(): kept as it is rather than failing a read
                        out.append("\\u");
                    }
                }
                default -> out.append(escaped);
            }
        }
        return out.toString();
    }

    /** Whether every database stores {@code text} as it is: no NUL, no lone surrogate. */
    private static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
