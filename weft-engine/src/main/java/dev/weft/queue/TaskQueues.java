package dev.weft.queue;

import java.util.List;

/**
 * The activity queues of the engine's database, for operators: what each holds, and pausing,
 * resuming and limiting a queue for every node at once.
 */
public interface TaskQueues {

    /** Every queue that holds tasks, has settings, or is served by this node, by name. */
    List<QueueInfo> list();

    /** Stops every node from claiming the queue's tasks; they wait, none is lost. Tasks running go on. */
    void pause(String queue);

    /** Lets every node claim the queue's tasks again. */
    void resume(String queue);

    /**
     * Sets the queue's cluster-wide settings (maxInFlight, rate limit, fairness) for every node at
     * once; {@code options.concurrency()} is a node's own and is not changed by this.
     */
    void configure(String queue, QueueOptions options);
}
