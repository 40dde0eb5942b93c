package dev.weft.internal;

import dev.weft.failure.PayloadSizeExceededException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** The largest payload accepted from outside the engine (signal payloads, async completions), in UTF-8 bytes. */
record PayloadLimit(long maxBytes) {

    /** @throws PayloadSizeExceededException when {@code payload} is larger than the limit */
    void check(String what, @Nullable String payload) {
        if (payload == null) {
            return;
        }
        long bytes = payload.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new PayloadSizeExceededException(what, bytes, maxBytes);
        }
    }
}
