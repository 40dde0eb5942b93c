package dev.weft.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An activity attempt put on a queue: the task row a checkpoint writes with the step's
 * {@link EntryState#QUEUED} entry, for a worker pool on any node to claim. The activity's name and
 * input travel, never its code.
 *
 * @param runId the run whose step this is
 * @param seq the step's position in the run
 * @param attempt the attempt the task runs
 * @param queue the queue's name
 * @param activity the activity's registered name
 * @param inputJson the step's input
 * @param priority higher runs first
 * @param fairnessKey tasks of one key take turns with those of other keys; {@code null} for none
 * @param visibilityTimeout how long a claim lasts unless its worker extends it
 * @param enqueuedAt when it was put on the queue (engine clock)
 * @param eagerClaim a claim offered by a pool of the enqueuing node, taken if the queue is plain
 *     (see {@link EagerClaim}); {@code null} to write the task unclaimed
 */
public record NewTask(String runId, long seq, int attempt, String queue, String activity, String inputJson, int priority,
        @Nullable String fairnessKey, Duration visibilityTimeout, Instant enqueuedAt, @Nullable EagerClaim eagerClaim) {

    /** A task written unclaimed. */
    public NewTask(String runId, long seq, int attempt, String queue, String activity, String inputJson, int priority,
            @Nullable String fairnessKey, Duration visibilityTimeout, Instant enqueuedAt) {
        this(runId, seq, attempt, queue, activity, inputJson, priority, fairnessKey, visibilityTimeout, enqueuedAt, null);
    }

    public NewTask {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(activity, "activity");
        Objects.requireNonNull(inputJson, "inputJson");
        Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    }

    /** This task with {@code claim} offered. */
    public NewTask withEagerClaim(EagerClaim claim) {
        return new NewTask(runId, seq, attempt, queue, activity, inputJson, priority, fairnessKey, visibilityTimeout, enqueuedAt,
                claim);
    }
}
