package dev.weft;

import dev.weft.failure.DefinitionNames;
import java.util.Objects;

/**
 * A cluster-wide limit on the runs of one workflow type that share a concurrency key: at most
 * {@code limit} of them run at once, on all nodes together. A start beyond it waits in the
 * {@link WorkflowStatus#QUEUED} state and starts, in the order starts were accepted, when a run of
 * the key ends; or, with {@link OverLimit#REJECT}, it is refused.
 *
 * <p>The limit is kept per (type, key) in the database: each start writes its limit there, so the
 * newest start's limit is the one in force (it can be raised or lowered that way; lowering it
 * stops nothing that runs, it only holds back the queue until fewer run).
 *
 * @param key 1 to {@value DefinitionNames#MAX_KEY_LENGTH} characters of valid Unicode, no control characters
 * @param limit how many runs of the key may run at once, 1 to {@value #MAX_LIMIT}
 * @param overLimit what a start does when the key has no free slot
 */
public record ConcurrencyLimit(String key, int limit, OverLimit overLimit) {

    /** The highest limit accepted: beyond it a limit would not limit anything a database can run. */
    public static final int MAX_LIMIT = 1_000_000;

    /** What a start does when its key has no free slot. */
    public enum OverLimit {

        /** The run is accepted and waits, {@link WorkflowStatus#QUEUED}, until a slot frees (the default). */
        QUEUE,

        /** The start is refused with {@link dev.weft.failure.ConcurrencyLimitReachedException}; nothing is written. */
        REJECT
    }

    /** @throws IllegalArgumentException naming what is wrong with the key or the limit */
    public ConcurrencyLimit {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(overLimit, "overLimit");
        if (key.isBlank()) {
            throw new IllegalArgumentException("concurrency key must not be blank");
        }
        if (!DefinitionNames.isValidKey(key)) {
            throw new IllegalArgumentException("concurrency key must be 1 to " + DefinitionNames.MAX_KEY_LENGTH
                    + " characters of valid Unicode with no control characters, was " + key.length() + " characters");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("concurrency limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** A limit whose excess queues. */
    public static ConcurrencyLimit of(String key, int limit) {
        return new ConcurrencyLimit(key, limit, OverLimit.QUEUE);
    }
}
