package dev.weft.queue;

import org.jspecify.annotations.Nullable;

/**
 * Takes tasks of one queue as they are enqueued on this node, for workers that are not this
 * engine's own pools (remote workers connected here): the enqueuing transaction writes the task
 * already claimed for a slot reserved beforehand, so no claim transaction stands between the
 * checkpoint's commit and the task's dispatch. Registered through {@link TaskBroker#takeEagerly}.
 */
@FunctionalInterface
public interface EagerTaker {

    /**
     * Reserves a free slot of a worker that runs {@code activity}, preferring the one that ran the
     * run's previous activity; {@code null} when none has a slot (the task is claimed as any other).
     */
    @Nullable Slot reserve(String runId, String activity);

    /** A slot held for one task being enqueued: exactly one of its methods is called, once. */
    interface Slot {

        /**
         * The task was committed claimed for this slot: send it to the worker. A worker gone
         * meanwhile must not keep it: the slot's owner releases the claim or hands the task on.
         */
        void taken(RemoteTask task);

        /** The task was not claimed for this slot (the queue was not plain, or the write failed): the slot is free again. */
        void giveBack();
    }
}
