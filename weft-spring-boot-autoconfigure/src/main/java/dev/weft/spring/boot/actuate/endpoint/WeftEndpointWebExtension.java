package dev.weft.spring.boot.actuate.endpoint;

import dev.weft.spring.boot.actuate.endpoint.WeftEndpoint.RunDetail;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The web side of the {@code weft} endpoint: decides per request whether a run's payloads are
 * shown, from the caller's principal and roles, as Spring Boot's web extensions of {@code env} and
 * {@code configprops} do. The list and the cancellation stay the endpoint's own operations.
 */
@EndpointWebExtension(endpoint = WeftEndpoint.class)
public class WeftEndpointWebExtension {

    private final WeftEndpoint delegate;

    private final Show showValues;

    private final Set<String> roles;

    /**
     * @param showValues when payloads are shown
     * @param roles the roles that make a caller authorized under {@code when-authorized}; any authenticated caller when empty
     */
    public WeftEndpointWebExtension(WeftEndpoint delegate, Show showValues, Set<String> roles) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.showValues = Objects.requireNonNull(showValues, "showValues");
        this.roles = Set.copyOf(roles);
    }

    /** One run with its journal, or {@code null} (HTTP 404); payloads shown only to a caller {@code show-values} allows. */
    @ReadOperation
    public @Nullable RunDetail run(SecurityContext securityContext, @Selector String id) {
        return delegate.run(id, showValues.isShown(securityContext, roles));
    }
}
