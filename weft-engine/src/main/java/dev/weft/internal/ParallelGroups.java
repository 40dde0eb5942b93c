package dev.weft.internal;

import dev.weft.failure.FailureCategory;
import dev.weft.failure.WeftException;
import dev.weft.store.EntryKind;
import dev.weft.store.JournalEntry;
import dev.weft.workflow.BranchResults;
import dev.weft.workflow.RaceResult;
import dev.weft.workflow.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Parallel groups ({@code all}, {@code race}, {@code runAll}): a group takes one position for
 * itself and one per branch right after it; each unfinished branch runs on its own virtual thread.
 */
final class ParallelGroups {

    /** Performs (or replays) one branch's step at its position. */
    @FunctionalInterface
    interface BranchPerformer {
        @Nullable Object perform(long seq, Step<?> step);
    }

    private final RunExecution run;
    private final RunParking parking;
    private final BranchPerformer performer;

    ParallelGroups(RunExecution run, BranchPerformer performer) {
        this.run = run;
        this.parking = run.parking();
        this.performer = performer;
    }

    /** @param groupSeq the group's position; its branches take the positions after it */
    List<@Nullable Object> all(long groupSeq, List<? extends Step<?>> steps) {
        List<CompletableFuture<Object>> branches = startGroup(groupSeq, "all[" + steps.size() + "]", steps);
        settleAll(branches);
        List<@Nullable Object> results = new ArrayList<>(branches.size());
        for (CompletableFuture<Object> branch : branches) {
            results.add(valueOf(branch));
        }
        return results;
    }

    /** The first branch to settle wins; the winner is recorded so that replay picks the same one. */
    RaceResult<@Nullable Object> race(long groupSeq, List<? extends Step<?>> steps) {
        String shape = "race[" + steps.size() + "]";
        JournalEntry group = run.recorded(groupSeq);
        if (group != null) {
            run.expect(group, EntryKind.GROUP, shape);
            if (group.result() != null) {
                int winner = Integer.parseInt(group.result());
                Object value = valueOf(replayedBranch(groupSeq + 1 + winner, steps.get(winner)));
                return new RaceResult<>(winner, value);
            }
        } else {
            run.commit(groupEntry(groupSeq, shape, null));
        }
        List<CompletableFuture<Object>> branches = startBranches(groupSeq, steps);
        run.await(CompletableFuture.anyOf(branches.toArray(CompletableFuture[]::new)).handle((ignored, error) -> null));
        int winner = 0;
        while (!branches.get(winner).isDone()) {
            winner++;
        }
        run.commit(groupEntry(groupSeq, shape, Integer.toString(winner)));
        return new RaceResult<>(winner, valueOf(branches.get(winner)));
    }

    /** @param names the branches' names in position order, one per step */
    BranchResults runAll(long groupSeq, List<String> names, List<? extends Step<?>> steps) {
        List<CompletableFuture<Object>> branches = startGroup(groupSeq, "runAll" + names, steps);
        settleAll(branches);
        Map<String, BranchResults.Outcome> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            outcomes.put(names.get(i), outcomeOf(branches.get(i)));
        }
        return new BranchResults(outcomes);
    }

    private List<CompletableFuture<Object>> startGroup(long groupSeq, String shape, List<? extends Step<?>> steps) {
        JournalEntry group = run.recorded(groupSeq);
        if (group != null) {
            run.expect(group, EntryKind.GROUP, shape);
        } else {
            run.commit(groupEntry(groupSeq, shape, null));
        }
        return startBranches(groupSeq, steps);
    }

    /** Starts each branch on its own virtual thread, or answers it from the journal when it has finished. */
    private List<CompletableFuture<Object>> startBranches(long groupSeq, List<? extends Step<?>> steps) {
        List<CompletableFuture<Object>> branches = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            long seq = groupSeq + 1 + i;
            Step<?> step = steps.get(i);
            JournalEntry entry = run.recorded(seq);
            if (entry != null && entry.state().isFinished()) {
                branches.add(replayedBranch(seq, step));
                continue;
            }
            CompletableFuture<Object> branch = new CompletableFuture<>();
            // Counted before the thread starts: the run must not park while any branch is open.
            parking.branchOpened();
            Thread.ofVirtual().name("weft-branch-" + run.runId() + "-" + seq).start(() -> {
                try {
                    branch.complete(performer.perform(seq, step));
                } catch (Throwable error) {
                    branch.completeExceptionally(error);
                } finally {
                    parking.branchClosed();
                }
            });
            branches.add(branch);
        }
        return branches;
    }

    private CompletableFuture<Object> replayedBranch(long seq, Step<?> step) {
        try {
            return CompletableFuture.completedFuture(performer.perform(seq, step));
        } catch (RuntimeException error) {
            return CompletableFuture.failedFuture(error);
        }
    }

    private void settleAll(List<CompletableFuture<Object>> branches) {
        run.await(CompletableFuture.allOf(branches.toArray(CompletableFuture[]::new)).handle((ignored, error) -> null));
    }

    /** A settled branch's value, or its failure thrown. */
    private static @Nullable Object valueOf(CompletableFuture<Object> branch) {
        try {
            return branch.join();
        } catch (CompletionException e) {
            throw RunWaits.propagate(e.getCause() != null ? e.getCause() : e);
        }
    }

    private static BranchResults.Outcome outcomeOf(CompletableFuture<Object> branch) {
        try {
            return new BranchResults.Outcome(valueOf(branch), null);
        } catch (WeftException failure) {
            return new BranchResults.Outcome(null, failure);
        } catch (RuntimeException failure) {
            return new BranchResults.Outcome(null, new WeftException("BRANCH_FAILED", FailureCategory.APPLICATION,
                    failure.getClass().getName() + ": " + failure.getMessage(), failure));
        }
    }

    private static JournalEntry groupEntry(long seq, String shape, @Nullable String winner) {
        return JournalEntry.completed(seq, EntryKind.GROUP, shape, winner);
    }
}
