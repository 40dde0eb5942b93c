package dev.weft.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a request body as one JSON object, refusing it before parsing when it is larger than
 * the limit (by its declared length or by counting the bytes as they arrive), when it is not
 * JSON, or when it nests deeper than {@value #MAX_NESTING_DEPTH} levels.
 */
public final class JsonBodyReader {

    /** How deep a request body may nest arrays and objects. */
    public static final int MAX_NESTING_DEPTH = 256;

    private final long maxBytes;
    private final JsonMapper mapper;

    public JsonBodyReader(DataSize maxBytes) {
        this.maxBytes = maxBytes.toBytes();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        this.mapper = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    /** The mapper that parses request bodies, also fit to write answers. */
    public JsonMapper mapper() {
        return mapper;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The body as a JSON object. */
    public JsonNode readObject(HttpServletRequest request) {
        requireJson(request.getContentType());
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        byte[] body = readBounded(request);
        if (body.length == 0) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "InvalidParams", "Request body must be a JSON object", Map.of());
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JacksonException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "InvalidParams",
                    "Request body is not valid JSON (or nests deeper than " + MAX_NESTING_DEPTH + " levels)", Map.of());
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "InvalidParams", "Request body must be a JSON object", Map.of());
        }
        return node;
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

    private ApiException tooLarge() {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "PayloadTooLarge",
                "Request body is larger than " + maxBytes + " bytes", Map.of("maxBytes", maxBytes));
    }
}
