package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.OwnershipLostException;
import dev.weft.StoreException;
import dev.weft.store.Checkpoint;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;

/** The group commit's queueing, ordering and failure handling, with a writer standing in for the database. */
class GroupCommitterTests {

    private static Checkpoint checkpoint(String runId) {
        return Checkpoint.of(runId, 1, new JournalEntry(1, EntryKind.VALUE, "now", EntryState.COMPLETED, "1", null, 0, null, Instant.EPOCH));
    }

    @Test
    void failedTransactionFailsEveryCheckpointOfItsBatchAndTheNextBatchStillCommits() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> failedBatches = new CopyOnWriteArrayList<>();
        Function<List<Checkpoint>, BitSet> writer = batch -> {
            if (calls.incrementAndGet() == 1) {
                throw new DataAccessResourceFailureException("database down");
            }
            return new BitSet();
        };
        CommitObserver observer = new CommitObserver() {
            @Override
            public void onBatchFailed(int checkpoints, Throwable error) {
                failedBatches.add(checkpoints);
            }
        };
        try (GroupCommitter committer = new GroupCommitter(writer, 10, observer)) {
            CompletableFuture<Void> lost = committer.submit(checkpoint("a"));
            assertThatThrownBy(lost::join).hasCauseInstanceOf(StoreException.class)
                    .cause().hasMessageContaining("'a'").hasRootCauseMessage("database down");
            committer.submit(checkpoint("b")).join();
        }
        assertThat(failedBatches).containsExactly(1);
    }

    @Test
    void batchIsSortedByRunIdAndRefusalsFailOnlyTheirOwnFuture() {
        List<List<String>> written = new CopyOnWriteArrayList<>();
        Function<List<Checkpoint>, BitSet> writer = batch -> {
            written.add(batch.stream().map(Checkpoint::runId).toList());
            BitSet refused = new BitSet();
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).runId().equals("b")) {
                    refused.set(i);
                }
            }
            return refused;
        };
        GroupCommitter committer = new GroupCommitter(writer, 10, CommitObserver.NONE);
        // queued before the flusher can take them: close() writes them in one batch at most
        CompletableFuture<Void> c = committer.submit(checkpoint("c"));
        CompletableFuture<Void> b = committer.submit(checkpoint("b"));
        CompletableFuture<Void> a = committer.submit(checkpoint("a"));
        committer.close();

        a.join();
        c.join();
        assertThatThrownBy(b::join).hasCauseInstanceOf(OwnershipLostException.class);
        assertThat(written).allSatisfy(batch -> assertThat(batch).isSorted());
    }

    @Test
    void deadlockVictimIsWrittenAgain() {
        AtomicInteger calls = new AtomicInteger();
        Function<List<Checkpoint>, BitSet> writer = batch -> {
            if (calls.incrementAndGet() < 3) {
                throw new CannotAcquireLockException("deadlock");
            }
            return new BitSet();
        };
        try (GroupCommitter committer = new GroupCommitter(writer, 10, CommitObserver.NONE)) {
            committer.submit(checkpoint("a")).join();
        }
        assertThat(calls).hasValue(3);
    }

    @Test
    void batchesNeverExceedTheMaximumSize() {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        CommitObserver observer = new CommitObserver() {
            @Override
            public void onBatchCommitted(int checkpoints, Duration latency) {
                sizes.add(checkpoints);
            }
        };
        GroupCommitter committer = new GroupCommitter(batch -> new BitSet(), 3, observer);
        List<CompletableFuture<Void>> done = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            done.add(committer.submit(checkpoint("run-" + i)));
        }
        committer.close();
        done.forEach(CompletableFuture::join);
        assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(1, 3));
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
    }

    @Test
    void observerFailureDoesNotStopCommits() {
        CommitObserver throwing = new CommitObserver() {
            @Override
            public void onBatchCommitted(int checkpoints, Duration latency) {
                throw new IllegalStateException("broken metrics");
            }
        };
        try (GroupCommitter committer = new GroupCommitter(batch -> new BitSet(), 10, throwing)) {
            committer.submit(checkpoint("a")).join();
            committer.submit(checkpoint("b")).join();
        }
    }
}
