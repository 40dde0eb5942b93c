package dev.weft.spring.web.security;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Makes the API an OAuth2 resource server when the application has a {@link JwtDecoder} (as
 * Spring Boot defines one from {@code spring.security.oauth2.resourceserver.jwt.*}): a token's
 * {@code scope} claim becomes {@code SCOPE_*} authorities. Loaded only when the classes exist.
 */
public final class JwtResourceServer {

    private JwtResourceServer() {
    }

    /** Whether a JWT decoder is defined, so tokens can be checked. */
    public static boolean isAvailable(ListableBeanFactory beans) {
        return beans.getBeanNamesForType(JwtDecoder.class, true, false).length > 0;
    }

    public static void apply(HttpSecurity http, ApiSecurityHandlers handlers) {
        http.oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults())
                .authenticationEntryPoint(handlers)
                .accessDeniedHandler(handlers));
    }
}
