package dev.weft.spring.web;

import dev.weft.client.wire.ApiError;
import dev.weft.client.wire.WireFormat;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.MediaType;

/**
 * Writes the API's refusals of access, which happen before any controller runs, as an
 * {@link ApiError}, and logs each to the audit logger {@value #AUDIT_LOGGER}: method, path,
 * reason and remote address, never the credential.
 */
public final class ApiErrorWriter {

    /** The logger of refused requests. */
    public static final String AUDIT_LOGGER = "dev.weft.api.audit";

    private static final Log AUDIT = LogFactory.getLog(AUDIT_LOGGER);

    private ApiErrorWriter() {
    }

    /** Answers 401 {@code Unauthorized}. */
    public static void unauthorized(HttpServletRequest request, HttpServletResponse response, String reason, String message)
            throws IOException {
        refuse(request, response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", reason, message, Map.of("reason", reason));
        response.setHeader("WWW-Authenticate", "Bearer");
    }

    /** Answers 403 {@code Forbidden}. */
    public static void forbidden(HttpServletRequest request, HttpServletResponse response, String reason, String message,
            Map<String, Object> data) throws IOException {
        refuse(request, response, HttpServletResponse.SC_FORBIDDEN, "Forbidden", reason, message, data);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String fault, String reason,
            String message, Map<String, Object> data) throws IOException {
        AUDIT.warn("Weft API refused " + request.getMethod() + " " + sanitized(request.getRequestURI()) + " (" + status + "): "
                + reason + " from " + request.getRemoteAddr());
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(WireFormat.mapper().writeValueAsBytes(new ApiError(message, fault, data)));
    }

    /** The path without control characters, so a request cannot forge audit lines. */
    private static String sanitized(String path) {
        String cut = path.length() > 300 ? path.substring(0, 300) + "..." : path;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
