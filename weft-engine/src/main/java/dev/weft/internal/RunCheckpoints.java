package dev.weft.internal;

import dev.weft.store.Checkpoint;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Writes the checkpoints of one run, and holds back the one kind of checkpoint that may wait: a
 * keyed step's completion (its journal entry and its {@code completed} record). That one travels
 * with the run's next write, which for a run of keyed steps is the next step's {@code started}
 * record: one commit per keyed step instead of two. It is written before the run does anything
 * else that another process could see or that could take long: before it waits, before an
 * activity or a memo's code runs, with the run's end.
 *
 * <p>Holding it back is safe because of the record: until the completion commits, the step's
 * record says {@code started}, so a crash in between is reconciled by the definition's verifier,
 * exactly as a crash after the effect and before an immediate commit would be. The window grows
 * only by the workflow's own code between the two steps, which does nothing durable.
 */
final class RunCheckpoints {

    private final Checkpointer checkpointer;
    private final Consumer<AbandonRun> onRefused;
    private final AtomicReference<@Nullable Checkpoint> heldBack = new AtomicReference<>();

    /** @param onRefused what a write refused for good does to the run: notes it and abandons the run */
    RunCheckpoints(Checkpointer checkpointer, Consumer<AbandonRun> onRefused) {
        this.checkpointer = checkpointer;
        this.onRefused = onRefused;
    }

    /** Writes {@code checkpoint}, with whatever was held back written first in the same transaction. */
    void write(Checkpoint checkpoint) {
        Checkpoint earlier = takeHeldBack();
        commit(earlier == null ? checkpoint : checkpoint.after(earlier));
    }

    /**
     * Holds {@code completion}, a checkpoint that writes rows only, until the run's next write or
     * {@link #writeHeldBack()}. Two held back at once (parallel branches) are written together.
     */
    void holdBack(Checkpoint completion) {
        if (!completion.writesRowsOnly()) {
            throw new IllegalArgumentException("only a checkpoint of rows can wait for the run's next write");
        }
        heldBack.accumulateAndGet(completion, (earlier, later) -> earlier == null ? later : later.after(earlier));
    }

    /** Writes what was held back, if anything was; returns whether it wrote. */
    boolean writeHeldBack() {
        Checkpoint earlier = takeHeldBack();
        if (earlier == null) {
            return false;
        }
        commit(earlier);
        return true;
    }

    /** What was held back, taken; a read alone when nothing was (every write and wait of a run asks). */
    private @Nullable Checkpoint takeHeldBack() {
        return heldBack.get() == null ? null : heldBack.getAndSet(null);
    }

    private void commit(Checkpoint checkpoint) {
        try {
            checkpointer.commit(checkpoint);
        } catch (AbandonRun refusal) {
            onRefused.accept(refusal);
            throw refusal;
        }
    }
}
