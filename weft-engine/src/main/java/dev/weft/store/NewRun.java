package dev.weft.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A run to create, owned from the start by the node that starts it.
 *
 * @param id the run id, at most 200 characters
 * @param type the workflow type
 * @param input the JSON input
 * @param owner the node that will drive it
 * @param lease how long its lease lasts from the database's clock
 * @param createdAt the engine clock's time of the start
 * @param deadline when the run times out (engine clock), or {@code null}
 * @param version the version of the workflow definition that starts it
 * @param parentId the run that started this one as a child, or {@code null}
 * @param parentSeq the position in the parent's journal of the step that started it
 * @param parentClosePolicy what the parent's end does to this child ({@code await}, {@code abandon},
 *     {@code request_cancel}), or {@code null} for a top-level run
 * @param depth how many parents the run has
 */
public record NewRun(String id, String type, String input, String owner, Duration lease, Instant createdAt,
        @Nullable Instant deadline, int version, @Nullable String parentId, long parentSeq, @Nullable String parentClosePolicy,
        int depth) {

    public NewRun(String id, String type, String input, String owner, Duration lease, Instant createdAt) {
        this(id, type, input, owner, lease, createdAt, null, 1, null, 0, null, 0);
    }

    public NewRun(String id, String type, String input, String owner, Duration lease, Instant createdAt,
            @Nullable Instant deadline, int version, @Nullable String parentId, long parentSeq) {
        this(id, type, input, owner, lease, createdAt, deadline, version, parentId, parentSeq, null, 0);
    }

    public NewRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
