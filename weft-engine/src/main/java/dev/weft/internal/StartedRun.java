package dev.weft.internal;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A run just started, or found by its idempotency key.
 *
 * @param id the run's id
 * @param localEnd completes when this engine's execution of it ends; {@code null} when another engine drives it
 */
public record StartedRun(String id, @Nullable CompletableFuture<?> localEnd) {
}
