package dev.weft.store;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A signal to store for a run.
 *
 * @param signalId an optional key, at most 128 characters, that makes delivery idempotent
 */
public record NewSignal(String runId, String name, @Nullable String payload, @Nullable String signalId, Instant sentAt) {

    public NewSignal {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sentAt, "sentAt");
    }
}
