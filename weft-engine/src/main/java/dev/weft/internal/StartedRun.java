package dev.weft.internal;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A run just started.
 *
 * @param id the run's id
 * @param localEnd completes when this engine's execution of it ends; {@code null} when another engine will drive it
 */
public record StartedRun(String id, @Nullable CompletableFuture<?> localEnd) {
}
