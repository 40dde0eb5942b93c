package dev.weft.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Settings of the REST API under {@code /api/v1}, under {@code weft.api.*}. */
@ConfigurationProperties("weft.api")
public class WeftApiProperties {

    /** Whether to serve the REST API under /api/v1 of a Spring MVC application. */
    private boolean enabled = true;

    /** Largest request body the API reads; a larger one is refused with 413 before it is parsed. */
    private DataSize maxRequestBytes = DataSize.ofMegabytes(1);

    /** How long a result request waits for its run when it does not say. */
    private Duration defaultResultWait = Duration.ofSeconds(30);

    /** The longest a result request may wait for its run before it answers 408. */
    private Duration maxResultWait = Duration.ofSeconds(60);

    /**
     * API keys accepted when Spring Security is not on the class path, sent as 'Authorization:
     * Bearer <key>' or 'X-Api-Key'. With neither keys nor Spring Security, only loopback clients
     * are answered.
     */
    private List<Key> keys = new ArrayList<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public DataSize getMaxRequestBytes() {
        return maxRequestBytes;
    }

    public void setMaxRequestBytes(DataSize maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    public Duration getDefaultResultWait() {
        return defaultResultWait;
    }

    public void setDefaultResultWait(Duration defaultResultWait) {
        this.defaultResultWait = defaultResultWait;
    }

    public Duration getMaxResultWait() {
        return maxResultWait;
    }

    public void setMaxResultWait(Duration maxResultWait) {
        this.maxResultWait = maxResultWait;
    }

    public List<Key> getKeys() {
        return keys;
    }

    public void setKeys(List<Key> keys) {
        this.keys = keys;
    }

    /** One API key and the scopes it grants. */
    public static class Key {

        /** A label for this key in logs; the key itself is never logged. */
        private @Nullable String name;

        /** The secret key. */
        private @Nullable String key;

        /** The scopes the key grants: workflows:read, workflows:write. */
        private List<String> scopes = new ArrayList<>();

        public @Nullable String getName() {
            return name;
        }

        public void setName(@Nullable String name) {
            this.name = name;
        }

        public @Nullable String getKey() {
            return key;
        }

        public void setKey(@Nullable String key) {
            this.key = key;
        }

        public List<String> getScopes() {
            return scopes;
        }

        public void setScopes(List<String> scopes) {
            this.scopes = scopes;
        }
    }
}
