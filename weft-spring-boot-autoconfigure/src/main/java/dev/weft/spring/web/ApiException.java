package dev.weft.spring.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A refusal of the REST API: its HTTP status, its fault code (upstream Weft's names, such as
 * {@code InvalidParams} or {@code NotFound}), a message naming what was wrong, and details.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String fault;
    private final Map<String, Object> data;

    public ApiException(HttpStatus status, String fault, @Nullable String message, Map<String, Object> data) {
        super(message);
        this.status = status;
        this.fault = fault;
        // in the order given, so the error body lists details as they were added
        this.data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** A 400 {@code InvalidParams} about one field of the request. */
    public static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "InvalidParams", message, Map.of("field", field));
    }

    /** A 404 {@code NotFound} of one resource. */
    public static ApiException notFound(String resource, String identifier) {
        return new ApiException(HttpStatus.NOT_FOUND, "NotFound", "No " + resource + " '" + identifier + "' here",
                Map.of("resource", resource, "identifier", identifier));
    }

    public HttpStatus status() {
        return status;
    }

    public String fault() {
        return fault;
    }

    public Map<String, Object> data() {
        return data;
    }
}
