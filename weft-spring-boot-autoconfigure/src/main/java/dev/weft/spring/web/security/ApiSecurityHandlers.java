package dev.weft.spring.web.security;

import dev.weft.spring.web.ApiErrorWriter;
import dev.weft.spring.web.ApiScopes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers Spring Security's refusals of API requests in the API's error shape (401 without valid
 * credentials, 403 without the scope) and writes an audit line for each, never the credential.
 */
public final class ApiSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        boolean presented = request.getHeader("Authorization") != null;
        ApiErrorWriter.unauthorized(request, response, presented ? "invalid-credential" : "missing-credential",
                presented ? "The bearer token is not valid" : "Authentication required: send a bearer token");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied) throws IOException {
        String scope = ApiScopes.requiredFor(request.getMethod(), request.getRequestURI());
        ApiErrorWriter.forbidden(request, response, "missing-scope " + scope, "The credential lacks the scope " + scope,
                Map.of("requiredScope", scope));
    }
}
