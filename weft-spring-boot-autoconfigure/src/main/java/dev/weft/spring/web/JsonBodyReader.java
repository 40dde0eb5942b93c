package dev.weft.spring.web;

import dev.weft.client.wire.WireFormat;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a request body into its wire record, refusing it before parsing when it is larger than
 * the limit (by its declared length or by counting the bytes as they arrive), when it is not
 * JSON, when it nests deeper than {@value #MAX_NESTING_DEPTH} levels, when it is not one object,
 * or when a field has the wrong JSON type; each refusal is a 4xx that says what was wrong.
 */
public final class JsonBodyReader {

    /** How deep a request body may nest arrays and objects. */
    public static final int MAX_NESTING_DEPTH = WireFormat.MAX_NESTING_DEPTH;

    private final long maxBytes;
    private final JsonMapper mapper = WireFormat.mapper();

    public JsonBodyReader(DataSize maxBytes) {
        this.maxBytes = maxBytes.toBytes();
    }

    /** The mapper that parses request bodies. */
    public JsonMapper mapper() {
        return mapper;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The body as the wire record {@code type}. */
    public <T> T read(HttpServletRequest request, Class<T> type) {
        JsonNode body = readObject(request);
        try {
            return mapper.treeToValue(body, type);
        } catch (MismatchedInputException e) {
            throw wrongType(e);
        }
    }

    private JsonNode readObject(HttpServletRequest request) {
        requireJson(request.getContentType());
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        byte[] body = readBounded(request);
        if (body.length == 0) {
            throw notAnObject();
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JacksonException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "InvalidParams",
                    "Request body is not valid JSON (or nests deeper than " + MAX_NESTING_DEPTH + " levels)", Map.of());
        }
        if (node == null || !node.isObject()) {
            throw notAnObject();
        }
        return node;
    }

    /** A field whose JSON type the record cannot take, named by its path: {@code Field "signal.name" must be a string}. */
    private static ApiException wrongType(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(step -> step.getPropertyName() != null ? step.getPropertyName() : String.valueOf(step.getIndex()))
                .collect(Collectors.joining("."));
        Class<?> target = e.getTargetType();
        String expected = target == String.class ? "a string"
                : target == Boolean.class || target == boolean.class ? "a boolean"
                : "an object";
        return ApiException.invalid(path, "Field \"" + path + "\" must be " + expected);
    }

    private static void requireJson(String contentType) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            type = null;
        }
        if (type == null || !(MediaType.APPLICATION_JSON.isCompatibleWith(type) || "json".equals(type.getSubtypeSuffix()))) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType",
                    "Content-Type must be application/json", Map.of("field", "Content-Type"));
        }
    }

    private byte[] readBounded(HttpServletRequest request) {
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "InvalidParams", "Request body could not be read", Map.of());
        }
    }

    private static ApiException notAnObject() {
        return new ApiException(HttpStatus.BAD_REQUEST, "InvalidParams", "Request body must be a JSON object", Map.of());
    }

    private ApiException tooLarge() {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "PayloadTooLarge",
                "Request body is larger than " + maxBytes + " bytes", Map.of("maxBytes", maxBytes));
    }
}
