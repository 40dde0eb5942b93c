package dev.weft.internal;

import dev.weft.failure.ChildWorkflowDepthExceededException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.store.EntryKind;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.RunRecord;
import dev.weft.store.WorkflowStore;
import dev.weft.time.StorableTimes;
import dev.weft.time.TimeSource;
import dev.weft.workflow.ChildOptions;
import dev.weft.workflow.ChildWorkflow;
import dev.weft.workflow.ParentClosePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The children one execution starts ({@code startChild}): each start is recorded together with the
 * child's new run, in one checkpoint, so a crash can neither lose a child nor start it twice.
 */
final class ChildRuns {

    /** A child this run started, and what the run's end does to it: what the journal records of a start. */
    record ChildRef(String id, String policy) {
    }

    /** Children started (or replayed) by this execution. */
    private final List<ChildRef> started = new CopyOnWriteArrayList<>();

    private final RunExecution run;
    private final RunWakeups wakeups;
    private final WorkflowStore store;
    private final PayloadSerializer serializer;
    private final TimeSource time;
    private final ChildLauncher launcher;
    private final EngineSettings settings;
    private final LongSupplier nextPosition;

    /** @param nextPosition takes the next journal position: a child's result is asked for at one of its own */
    ChildRuns(RunExecution run, WorkflowStore store, PayloadSerializer serializer, TimeSource time, ChildLauncher launcher,
            EngineSettings settings, LongSupplier nextPosition) {
        this.run = run;
        this.wakeups = run.wakeups();
        this.store = store;
        this.serializer = serializer;
        this.time = time;
        this.launcher = launcher;
        this.settings = settings;
        this.nextPosition = nextPosition;
    }

    <R> ChildWorkflow<R> start(long seq, String type, @Nullable Object input, Class<R> resultType, ChildOptions options) {
        JournalEntry entry = run.recorded(seq);
        if (entry != null) {
            run.expect(entry, EntryKind.CHILD, type);
            ChildRef replayed = serializer.deserialize(entry.result(), ChildRef.class);
            started.add(replayed);
            return handle(replayed.id(), resultType);
        }
        int depth = run.depth() + 1;
        if (depth > settings.maxChildDepth()) {
            throw new ChildWorkflowDepthExceededException("Workflow '" + run.runId() + "' cannot start a child of type '"
                    + type + "': children may nest at most " + settings.maxChildDepth() + " deep");
        }
        String childId = options.explicitId().orElse(run.runId() + "/" + seq);
        if (options.explicitId().isPresent() && store.findRun(childId).isPresent()) {
            throw new WorkflowAlreadyExistsException("A run with id '" + childId + "' already exists");
        }
        Instant now = time.now();
        boolean local = launcher.drivesLocally(type);
        String policy = options.parentClosePolicy().wireName();
        NewRun child = new NewRun(childId, type, serializer.serialize(input), settings.nodeId(),
                local ? settings.lease() : Duration.ZERO, now,
                options.executionTimeout() == null ? null
                        : StorableTimes.after(now, options.executionTimeout(), "The execution timeout of child workflow '" + childId + "'"),
                launcher.versionOf(type), run.runId(), seq, policy, depth);
        ChildRef ref = new ChildRef(childId, policy);
        run.commitStartingChild(JournalEntry.completed(seq, EntryKind.CHILD, type, serializer.serialize(ref), now), child);
        started.add(ref);
        if (local) {
            launcher.launch(child);
        }
        return handle(childId, resultType);
    }

    private <R> ChildWorkflow<R> handle(String childId, Class<R> resultType) {
        return new ChildHandle<>(run, store, serializer, nextPosition, childId, resultType);
    }

    /**
     * Before the run ends: waits for the children whose policy is to be awaited. Not a journal
     * operation: a replay that reaches the end waits again for whatever has not ended. A child's
     * end wakes its parent (here, or through the store from another node), so each look at the
     * child waits for the next wake-up and nothing else.
     */
    void awaitChildrenThatMustEndFirst() {
        for (ChildRef child : started) {
            if (!ParentClosePolicy.AWAIT.wireName().equals(child.policy())) {
                continue;
            }
            while (true) {
                // Taken before the child is read, so that an end landing between the two is not missed.
                CompletableFuture<Void> wake = wakeups.signal();
                Optional<RunRecord> record = store.findRun(child.id());
                if (record.isEmpty() || record.get().status().isTerminal()) {
                    break;
                }
                run.awaitIgnoringCancellation(wake);
            }
        }
    }
}
