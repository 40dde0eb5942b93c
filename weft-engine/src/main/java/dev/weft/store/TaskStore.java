package dev.weft.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Durable task queues: the tasks checkpoints put on queues (see {@link Checkpoint#enqueues()}),
 * claimed by worker pools on any node. A claim carries a token; a task's outcome is written only
 * under the token of its live claim, so a claim that expired and was taken by another worker can
 * never be adopted twice. Times are the engine's clock, as wake-up times are.
 */
public interface TaskStore {

    /**
     * Claims up to {@code max} tasks of {@code queue} for {@code node}: none while the queue is
     * paused, and no more than its cluster-wide limits leave (in flight across all nodes, started
     * per rate period). Tasks go by priority, then (in a fair queue) in turns across fairness keys,
     * then by age; a task whose claim expired is claimed again. Tasks of runs that are not running,
     * or are being cancelled, are not claimed.
     */
    default List<ClaimedTask> claim(String queue, String node, int max, Instant now) {
        return claim(queue, node, max, now, null);
    }

    /**
     * {@link #claim(String, String, int, Instant)} of only the tasks whose activity is one of
     * {@code activities} ({@code null} for any): what remote workers that registered those
     * activities can run. Nothing is claimed for an empty set.
     */
    List<ClaimedTask> claim(String queue, String node, int max, Instant now, @Nullable Collection<String> activities);

    /**
     * Ends the given claims now, as if they had expired: their tasks can be claimed again at once,
     * and their tokens are dead, so an outcome written under one later is refused. For the claims of
     * a remote worker that went away.
     */
    void release(Collection<String> claimTokens, Instant now);

    /** The task under the live or lapsed claim {@code claimToken}, if any task still carries it. */
    Optional<ClaimedTask> claimed(String claimToken);

    /**
     * Writes a claimed task's outcome: the task is removed, the step's queued entry takes the
     * outcome, and the run is flagged for its owner to wake, in one transaction.
     *
     * @return {@code false}, changing nothing, when the claim is no longer the task's (it expired
     *     and another worker claimed the task, or the task's run ended)
     */
    boolean complete(TaskOutcome outcome);

    /**
     * Writes many outcomes as {@link #complete} does each, in one transaction: what a node's worker
     * pools finish together commits together.
     *
     * @return for each outcome, in order, whether it was written (its claim was still the task's)
     */
    default List<Boolean> completeAll(List<TaskOutcome> outcomes) {
        return outcomes.stream().map(this::complete).toList();
    }

    /**
     * Extends the given claims by each task's visibility timeout from {@code now}.
     *
     * @return the claim tokens among them that are no longer held: the task was claimed again or
     *     removed, or its run ended or is being cancelled; their workers should stop
     */
    Set<String> extend(Collection<ClaimedTask> claims, Instant now);

    /** Sets a queue's cluster-wide settings (creating its row), leaving whether it is paused. */
    void configure(String queue, QueueSettings settings);

    /**
     * Makes sure the queue has a row, without settings when it is created here; a row there already
     * is left as it is. A queue without a row takes no claim offered at enqueue ({@link EagerClaim}).
     */
    void declare(String queue);

    /** Pauses or resumes a queue for every node: a paused queue's tasks wait, none is claimed. */
    void setPaused(String queue, boolean paused);

    /** Every queue that has tasks or settings, as it stands at {@code now}. */
    List<QueueState> queues(Instant now);

    /** Removes the tasks of runs that ended (cancelled or failed while a step was queued); returns how many. */
    int removeOrphans();

    /** Tells idle worker pools on every node that {@code queue} has new work; best effort. */
    void announce(String queue);

    /**
     * Starts hearing the announcements of {@link #announce}: {@code onQueue} gets queue names. Returns
     * what stops it, or {@code null} where the database has no channel (pools then poll).
     */
    @Nullable AutoCloseable listen(Consumer<String> onQueue);
}
