package dev.weft.spring.boot.autoconfigure.endpoint;

import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code weft} actuator endpoint, under {@code management.endpoint.weft.*} beside
 * Spring Boot's own {@code access}: who sees the payloads of runs, as for the {@code env} endpoint.
 */
@ConfigurationProperties("management.endpoint.weft")
public class WeftEndpointProperties {

    /**
     * When to show the payloads of runs (inputs, results, step results); otherwise they read
     * "******". Payloads may hold personal data.
     */
    private Show showValues = Show.NEVER;

    /**
     * Roles that may see payloads when show-values is 'when-authorized'; when empty, any
     * authenticated user may.
     */
    private final Set<String> roles = new LinkedHashSet<>();

    public Show getShowValues() {
        return showValues;
    }

    public void setShowValues(Show showValues) {
        this.showValues = showValues;
    }

    public Set<String> getRoles() {
        return roles;
    }
}
