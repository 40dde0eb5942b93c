package dev.weft.payload;

import dev.weft.failure.PayloadException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** {@link PayloadSerializer} on a Jackson 3 {@link JsonMapper}; Spring Boot passes the application's own. */
public final class JacksonPayloadSerializer implements PayloadSerializer {

    private final JsonMapper mapper;

    public JacksonPayloadSerializer(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** A serializer on a mapper with Jackson's defaults. */
    public static JacksonPayloadSerializer withDefaults() {
        return new JacksonPayloadSerializer(JsonMapper.builder().findAndAddModules().build());
    }

    @Override
    public String serialize(@Nullable Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new PayloadException("Cannot write a " + (value == null ? "null" : value.getClass().getName())
                    + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public <T> @Nullable T deserialize(@Nullable String json, Class<T> type) {
        if (json == null || type == Void.class || type == void.class) {
            return null;
        }
        try {
            return mapper.readValue(json, type);
        } catch (JacksonException e) {
            throw new PayloadException("Cannot read JSON as " + type.getName() + ": " + e.getOriginalMessage(), JsonProblems.of(e), e);
        }
    }
}
