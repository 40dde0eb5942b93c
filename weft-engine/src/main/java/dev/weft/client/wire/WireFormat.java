package dev.weft.client.wire;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The JSON mapper of the wire records. It is Weft's own, never the application's, so settings
 * such as a naming strategy or an inclusion rule cannot change the wire format. It reads
 * strictly: a string field refuses numbers and booleans, a boolean field refuses strings, a
 * body with anything after its one value is refused, and nesting deeper than
 * {@value #MAX_NESTING_DEPTH} levels is refused before it can exhaust the stack. Unknown fields
 * are ignored, so either side may add one.
 */
public final class WireFormat {

    /** How deep a body may nest arrays and objects. */
    public static final int MAX_NESTING_DEPTH = 256;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, strings -> strings
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            // instants as ISO-8601 text, as Instant.toString() writes them
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private WireFormat() {
    }

    /** The mapper; immutable and shared. */
    public static JsonMapper mapper() {
        return MAPPER;
    }
}
