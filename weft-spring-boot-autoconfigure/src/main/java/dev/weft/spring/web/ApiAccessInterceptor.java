package dev.weft.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Guards the API when Spring Security does not: with API keys configured, a request needs a key
 * ({@code Authorization: Bearer <key>} or {@code X-Api-Key}) that grants the scope of its method;
 * with none, only loopback clients are answered. Runs before the handler, so a refused request's
 * body is never read.
 */
public final class ApiAccessInterceptor implements HandlerInterceptor {

    /** How the API is guarded. */
    public enum Mode {
        /** Spring Security's filter chain guards it; this interceptor lets everything through. */
        SPRING_SECURITY,
        /** Configured API keys with scopes. */
        API_KEYS,
        /** No credentials at all: loopback clients only. */
        LOOPBACK_ONLY
    }

    private final Mode mode;
    private final List<ApiKey> keys;

    public ApiAccessInterceptor(Mode mode, List<ApiKey> keys) {
        this.mode = mode;
        this.keys = List.copyOf(keys);
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        if (mode == Mode.SPRING_SECURITY || isPublic(request)) {
            return true;
        }
        if (mode == Mode.LOOPBACK_ONLY) {
            if (isLoopback(request.getRemoteAddr())) {
                return true;
            }
            ApiErrorWriter.forbidden(request, response, "remote-client-without-authentication",
                    "The Weft API answers only loopback clients until API keys (weft.api.keys) or Spring Security are configured",
                    Map.of("reason", "loopback-only"));
            return false;
        }
        String presented = credential(request);
        if (presented == null) {
            ApiErrorWriter.unauthorized(request, response, "missing-credential",
                    "Authentication required: send an API key as 'Authorization: Bearer <key>' or in 'X-Api-Key'");
            return false;
        }
        byte[] digest = ApiKey.digest(presented);
        ApiKey matched = null;
        for (ApiKey key : keys) {
            // every key is compared, so the time taken does not tell which one matched
            if (key.matches(digest) && matched == null) {
                matched = key;
            }
        }
        if (matched == null) {
            ApiErrorWriter.unauthorized(request, response, "invalid-credential", "The API key is not valid");
            return false;
        }
        String scope = ApiScopes.requiredFor(request.getMethod(), request.getRequestURI());
        if (!matched.scopes().contains(scope)) {
            ApiErrorWriter.forbidden(request, response, "missing-scope " + scope + " (key " + matched.name() + ")",
                    "The API key lacks the scope " + scope, Map.of("requiredScope", scope));
            return false;
        }
        return true;
    }

    private static boolean isPublic(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) && ApiScopes.OPENAPI_PATH.equals(request.getRequestURI());
    }

    private static String credential(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = authorization.substring(7).trim();
            return key.isEmpty() ? null : key;
        }
        String header = request.getHeader("X-Api-Key");
        return header == null || header.isBlank() ? null : header.trim();
    }

    private static boolean isLoopback(String address) {
        // only literal addresses are looked at, so no name lookup ever happens
        if (address == null || address.isEmpty() || !address.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
