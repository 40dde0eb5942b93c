package dev.weft.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A run to create, owned from the start by the node that starts it.
 *
 * @param id the run id, at most 200 characters
 * @param type the workflow type
 * @param input the JSON input
 * @param owner the node that will drive it
 * @param lease how long its lease lasts from the database's clock
 * @param createdAt the engine clock's time of the start
 */
public record NewRun(String id, String type, String input, String owner, Duration lease, Instant createdAt) {

    public NewRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
