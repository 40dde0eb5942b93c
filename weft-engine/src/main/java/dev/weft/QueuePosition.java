package dev.weft;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a {@link WorkflowStatus#QUEUED} run stands in the queue of its workflow type and
 * concurrency key.
 *
 * @param position 1 for the run that starts next
 * @param limit the limit in force for the key (the newest start's)
 * @param queuedAt when the run was accepted (the starting engine's clock)
 */
public record QueuePosition(String concurrencyKey, long position, int limit, Instant queuedAt) {

    /** How long the run has waited by {@code now}; zero if {@code now} is before its acceptance. */
    public Duration age(Instant now) {
        Duration age = Duration.between(queuedAt, now);
        return age.isNegative() ? Duration.ZERO : age;
    }
}
