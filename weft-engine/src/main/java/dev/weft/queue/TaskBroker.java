package dev.weft.queue;

import dev.weft.failure.FailureInfo;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Claims of queued tasks for workers that are not this engine's own pools: remote workers connected
 * to this node. The node claims on their behalf, under its own name and within the queue's
 * cluster-wide limits, keeps the claims alive while the workers do, and writes the outcomes they
 * report under each claim's token. Any node accepts an outcome: the token is the fence.
 */
public interface TaskBroker {

    /**
     * Claims up to {@code max} tasks of {@code queue} whose activity is one of {@code activities}.
     * A task that has been claimed too often (its workers keep dying) is failed instead of returned.
     */
    List<RemoteTask> claim(String queue, int max, Collection<String> activities);

    /**
     * Writes a completed attempt's result (JSON) under the claim {@code operationId} and wakes its run.
     *
     * @return {@code false}, changing nothing, when no live claim has that token
     */
    boolean complete(String operationId, @Nullable String resultJson);

    /** As {@link #complete}, for a failed attempt: the activity's retry policy decides what follows. */
    boolean fail(String operationId, FailureInfo failure);

    /**
     * Extends the claims by each one's visibility timeout.
     *
     * @return the operation ids among them whose claim is lost: their run ended or is being cancelled,
     *     or the claim lapsed and the task was claimed again; their workers should be told to stop
     */
    Set<String> extend(Collection<RemoteTask> tasks);

    /** Ends the claims now: their tasks can be claimed again at once, and outcomes under them are refused. */
    void release(Collection<String> operationIds);

    /**
     * Calls {@code wake} when {@code queue} may have new work: enqueued on this node, or announced by
     * another. Best effort; claimers poll as well. Returns what stops it.
     */
    AutoCloseable onWork(String queue, Runnable wake);

    /**
     * Offers {@code taker} the tasks of {@code queue} enqueued on this node, when this node's own pool
     * of the queue (if any) has no free slot: a task taken is claimed in its enqueuing transaction,
     * recorded as claimed here, and handed to the taker's slot. Returns what stops it.
     */
    AutoCloseable takeEagerly(String queue, EagerTaker taker);
}
