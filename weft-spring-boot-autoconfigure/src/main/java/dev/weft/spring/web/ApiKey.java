package dev.weft.spring.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * A configured API key, held only as its SHA-256 digest, with the scopes it grants. Keys are
 * compared by digest with {@link MessageDigest#isEqual}, whose time does not depend on where two
 * digests differ.
 */
public final class ApiKey {

    private final String name;
    private final byte[] digest;
    private final Set<String> scopes;

    public ApiKey(String name, String key, Set<String> scopes) {
        if (key.isBlank()) {
            throw new IllegalArgumentException("API key '" + name + "' is blank");
        }
        this.name = name;
        this.digest = digest(key);
        this.scopes = Set.copyOf(scopes);
    }

    /** A label for logs; never the key. */
    public String name() {
        return name;
    }

    public Set<String> scopes() {
        return scopes;
    }

    boolean matches(byte[] presentedDigest) {
        return MessageDigest.isEqual(digest, presentedDigest);
    }

    static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
