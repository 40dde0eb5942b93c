package dev.weft.internal;

import dev.weft.WorkflowStatus;
import dev.weft.failure.ChildWorkflowFailedException;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.WorkflowCancelledException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowTimeoutException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.RunRecord;
import dev.weft.store.WorkflowStore;
import dev.weft.workflow.ChildWorkflow;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/** The parent's side of a child: its result is a durable wait at the position where it is asked for. */
final class ChildHandle<R> implements ChildWorkflow<R> {

    private final RunExecution run;
    private final RunParking parking;
    private final RunWakeups wakeups;
    private final WorkflowStore store;
    private final PayloadSerializer serializer;
    private final LongSupplier nextPosition;
    private final String childId;
    private final Class<R> resultType;

    ChildHandle(RunExecution run, WorkflowStore store, PayloadSerializer serializer, LongSupplier nextPosition, String childId,
            Class<R> resultType) {
        this.run = run;
        this.parking = run.parking();
        this.wakeups = run.wakeups();
        this.store = store;
        this.serializer = serializer;
        this.nextPosition = nextPosition;
        this.childId = childId;
        this.resultType = resultType;
    }

    @Override
    public String id() {
        return childId;
    }

    @Override
    public @Nullable R result() {
        run.throwIfCancelled();
        long seq = nextPosition.getAsLong();
        String name = "child:" + childId;
        JournalEntry entry = run.recorded(seq);
        if (entry != null) {
            run.expect(entry, EntryKind.CHILD_RESULT, name);
            if (entry.state().isFinished()) {
                return outcome(entry);
            }
        }
        while (true) {
            CompletableFuture<Void> wake = wakeups.signal();
            RunRecord child = store.findRun(childId).orElseThrow(() ->
                    new WorkflowNotFoundException("Child workflow '" + childId + "' is gone"));
            if (child.status().isTerminal()) {
                JournalEntry ended = child.status() == WorkflowStatus.COMPLETED
                        ? JournalEntry.completed(seq, EntryKind.CHILD_RESULT, name, child.result())
                        : JournalEntry.failed(seq, EntryKind.CHILD_RESULT, name, failureOf(child));
                run.commit(ended);
                return outcome(ended);
            }
            if (!wake.isDone() && parking.mayPark(WorkflowStore.FAR_FUTURE)) {
                parking.park(List.of(), WorkflowStore.FAR_FUTURE, wake);
            }
            run.await(wake);
        }
    }

    private @Nullable R outcome(JournalEntry entry) {
        if (entry.state() == EntryState.FAILED) {
            FailureInfo failure = entry.failure();
            throw new ChildWorkflowFailedException(childId, statusOf(failure), failure);
        }
        return serializer.deserialize(entry.result(), resultType);
    }

    /** What the parent records of a child that did not complete. */
    private static FailureInfo failureOf(RunRecord child) {
        return switch (child.status()) {
            case CANCELLED -> FailureInfo.of(new WorkflowCancelledException(child.id()));
            case TIMED_OUT -> FailureInfo.of(new WorkflowTimeoutException(child.id()));
            default -> child.failure() != null ? child.failure()
                    : FailureInfo.of(new IllegalStateException("child " + child.id() + " failed"));
        };
    }

    /** The child's status, read back from the failure the parent recorded (on replay the child may be gone). */
    private static WorkflowStatus statusOf(FailureInfo failure) {
        if (WorkflowCancelledException.CODE.equals(failure.code())) {
            return WorkflowStatus.CANCELLED;
        }
        if (WorkflowTimeoutException.CODE.equals(failure.code())) {
            return WorkflowStatus.TIMED_OUT;
        }
        return WorkflowStatus.FAILED;
    }
}
