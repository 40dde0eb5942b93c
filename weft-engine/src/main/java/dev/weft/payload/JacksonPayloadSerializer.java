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
            return escapeLoneSurrogates(mapper.writeValueAsString(value));
        } catch (JacksonException e) {
            throw new PayloadException("Cannot write a " + (value == null ? "null" : value.getClass().getName())
                    + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Jackson escapes a NUL inside a string, but writes a lone UTF-16 surrogate as it is, and no
     * database stores that (the drivers turn it into {@code ?}), so the payload would come back
     * changed. It can only stand inside a JSON string, where its JSON escape (backslash, u, four
     * hex digits) means the same: so it is written escaped, and reads back exactly as it was.
     */
    static String escapeLoneSurrogates(String json) {
        StringBuilder escaped = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                if (escaped != null) {
                    escaped.append(c).append(json.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (escaped == null) {
                    escaped = new StringBuilder(json.length() + 16).append(json, 0, i);
                }
                escaped.append(String.format("\\u%04X", (int) c));
            } else if (escaped != null) {
                escaped.append(c);
            }
        }
        return escaped == null ? json : escaped.toString();
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
