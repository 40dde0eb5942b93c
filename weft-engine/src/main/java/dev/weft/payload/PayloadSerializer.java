package dev.weft.payload;

import dev.weft.failure.PayloadException;
import org.jspecify.annotations.Nullable;

/** Turns inputs and results into the JSON text stored in the journal, and back. */
public interface PayloadSerializer {

    String serialize(@Nullable Object value);

    /**
     * Reads a value of {@code type}; a {@code null} or {@code "null"} payload, or a {@link Void}
     * type, reads as {@code null}.
     *
     * @throws PayloadException when the text does not fit the type
     */
    <T> @Nullable T deserialize(@Nullable String json, Class<T> type);
}
