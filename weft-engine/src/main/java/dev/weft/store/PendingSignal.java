package dev.weft.store;

import org.jspecify.annotations.Nullable;

/**
 * A signal delivered to a run and not yet consumed.
 *
 * @param id the store's id of the signal; signals of one name are consumed in the order of their ids
 * @param payload its JSON payload
 */
public record PendingSignal(long id, String name, @Nullable String payload) {
}
