package dev.weft.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The digests under which idempotency keys are stored: a key is never written in clear. */
final class IdempotencyKeys {

    private static final HexFormat HEX = HexFormat.of();
    // Cloned per digest: looking the algorithm up among the security providers each time cost a
    // keyed step more than the hashing itself (profiled), and a clone shares no state.
    private static final MessageDigest SHA_256 = sha256();

    private IdempotencyKeys() {
    }

    /** The SHA-256 of the key's UTF-8 bytes, as 64 lower-case hex digits. */
    static String digest(String key) {
        return HEX.formatHex(fresh().digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest fresh() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            // a provider whose digest cannot be cloned: look it up each time
            return sha256();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
