package dev.weft.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The digests under which idempotency keys are stored: a key is never written in clear. */
final class IdempotencyKeys {

    private IdempotencyKeys() {
    }

    /** The SHA-256 of the key's UTF-8 bytes, as 64 lower-case hex digits. */
    static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
