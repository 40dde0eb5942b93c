package dev.weft.client.wire;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every refusal of the API: {@code {"error": message, "code": fault, "data": {...}}}.
 *
 * @param code upstream Weft's fault name, such as {@code InvalidParams} or {@code NotFound}
 * @param data details; {@code weftCode} is the engine's code of the exception behind the refusal
 */
public record ApiError(String error, String code, Map<String, Object> data) {

    public ApiError {
        data = data == null ? Map.of() : data;
    }

    /** A text of {@link #data()}, or {@code ""}. */
    public String dataText(String key) {
        return data.get(key) instanceof String text ? text : "";
    }

    /** A number of {@link #data()}, or 0. */
    public long dataNumber(String key) {
        return data.get(key) instanceof Number number ? number.longValue() : 0;
    }

    /** A value of {@link #data()}, or {@code null}. */
    public @Nullable Object dataValue(String key) {
        return data.get(key);
    }
}
