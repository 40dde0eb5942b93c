package dev.weft.store.jdbc;

import dev.weft.event.CommitObserver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.failure.CheckpointRejectedException;
import dev.weft.failure.OwnershipLostException;
import dev.weft.failure.StoreException;
import dev.weft.store.Checkpoint;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
        try (GroupCommitter committer = new GroupCommitter(writer, 10, 1, observer)) {
            CompletableFuture<Void> lost = committer.submit(checkpoint("a"));
            assertThatThrownBy(lost::join).hasCauseInstanceOf(StoreException.class)
                    .cause().hasMessageContaining("'a'").hasRootCauseMessage("database down");
            committer.submit(checkpoint("b")).join();
        }
        assertThat(failedBatches).containsExactly(1);
    }

    /**
     * A writer whose first batch waits until {@link #release()}: whatever is submitted meanwhile
     * queues behind it. Records each batch's run ids and the thread that wrote it.
     */
    private static final class HeldWriter implements Function<List<Checkpoint>, BitSet> {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final CountDownLatch firstStarted = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final java.util.function.Predicate<String> refuse;

        HeldWriter(java.util.function.Predicate<String> refuse) {
            this.refuse = refuse;
        }

        @Override
        public BitSet apply(List<Checkpoint> batch) {
            boolean first = batches.isEmpty();
            batches.add(batch.stream().map(Checkpoint::runId).toList());
            threads.add(Thread.currentThread());
            if (first) {
                firstStarted.countDown();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            BitSet refused = new BitSet();
            for (int i = 0; i < batch.size(); i++) {
                if (refuse.test(batch.get(i).runId())) {
                    refused.set(i);
                }
            }
            return refused;
        }

        void release() {
            released.countDown();
        }
    }

    /** Submits {@code runId} on a thread of its own and waits until the writer holds it. */
    private static CompletableFuture<Void> holdFirstBatch(GroupCommitter committer, HeldWriter writer, String runId)
            throws InterruptedException {
        CompletableFuture<Void> done = CompletableFuture.supplyAsync(() -> committer.submit(checkpoint(runId)))
                .thenCompose(Function.identity());
        assertThat(writer.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        return done;
    }

    @Test
    void aLoneCallerWritesItsCheckpointOnItsOwnThreadBeforeSubmitReturns() {
        HeldWriter writer = new HeldWriter(runId -> false);
        writer.release();
        try (GroupCommitter committer = new GroupCommitter(writer, 10, 1, CommitObserver.NONE)) {
            CompletableFuture<Void> done = committer.submit(checkpoint("a"));
            assertThat(done).isCompletedWithValue(null);
        }
        assertThat(writer.threads).containsExactly(Thread.currentThread());
    }

    @Test
    void aCallerInATransactionQueuesItsCheckpointForTheFlusherInsteadOfJoiningTheTransaction() {
        HeldWriter writer = new HeldWriter(runId -> false);
        writer.release();
        TransactionSynchronizationManager.initSynchronization();
        try (GroupCommitter committer = new GroupCommitter(writer, 10, 1, CommitObserver.NONE)) {
            committer.submit(checkpoint("a")).join();
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
        assertThat(writer.threads).singleElement().extracting(Thread::getName).asString().startsWith("weft-group-commit-");
    }

    @Test
    void checkpointsSubmittedDuringAWriteShareTheNextBatchSortedByRunIdAndRefusalsFailOnlyTheirOwnFuture()
            throws InterruptedException {
        HeldWriter writer = new HeldWriter(runId -> runId.equals("b"));
        AtomicReference<Thread> completing = new AtomicReference<>();
        try (GroupCommitter committer = new GroupCommitter(writer, 10, 1, CommitObserver.NONE)) {
            CompletableFuture<Void> first = holdFirstBatch(committer, writer, "first");
            CompletableFuture<Void> c = committer.submit(checkpoint("c"));
            CompletableFuture<Void> b = committer.submit(checkpoint("b"));
            CompletableFuture<Void> a = committer.submit(checkpoint("a"));
            assertThat(List.of(a, b, c)).noneMatch(CompletableFuture::isDone);
            CountDownLatch completed = new CountDownLatch(1);
            a.whenComplete((ignored, error) -> {
                completing.set(Thread.currentThread());
                completed.countDown();
            });
            writer.release();
            // before anyone joins a: a thread waiting in join() may run its dependents itself
            assertThat(completed.await(10, TimeUnit.SECONDS)).isTrue();

            first.join();
            a.join();
            c.join();
            assertThatThrownBy(b::join).hasCauseInstanceOf(OwnershipLostException.class);
        }
        assertThat(writer.batches).containsExactly(List.of("first"), List.of("a", "b", "c"));
        assertThat(writer.threads.get(1).getName()).startsWith("weft-group-commit-");
        // waking the batch's callers is not the flusher's work: it goes on with the next batch meanwhile
        assertThat(completing.get().isVirtual()).isTrue();
    }

    @Test
    void withTwoConcurrentBatchesACheckpointIsWrittenWhileAnotherBatchIsStillBeingWritten() throws Exception {
        HeldWriter writer = new HeldWriter(runId -> false);
        try (GroupCommitter committer = new GroupCommitter(writer, 10, 2, CommitObserver.NONE)) {
            CompletableFuture<Void> first = holdFirstBatch(committer, writer, "first");

            committer.submit(checkpoint("second")).get(10, TimeUnit.SECONDS);

            assertThat(first).isNotDone();
            writer.release();
            first.join();
        }
        assertThat(writer.batches).containsExactly(List.of("first"), List.of("second"));
    }

    @Test
    void fewerThanOneConcurrentBatchIsRefused() {
        assertThatThrownBy(() -> new GroupCommitter(batch -> new BitSet(), 10, 0, CommitObserver.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1, was 0");
    }

    @Test
    void closeWaitsForTheCallerThatIsWritingAndThenWritesWhatIsQueued() throws InterruptedException {
        HeldWriter writer = new HeldWriter(runId -> false);
        GroupCommitter committer = new GroupCommitter(writer, 10, 1, CommitObserver.NONE);
        CompletableFuture<Void> first = holdFirstBatch(committer, writer, "first");
        CompletableFuture<Void> queued = committer.submit(checkpoint("queued"));
        Thread closing = Thread.ofPlatform().name("closing").start(committer::close);
        awaitBlocked(closing);
        // the first write is still held: close() waits in it, and nothing was dropped
        assertThat(closing.isAlive()).isTrue();
        assertThat(List.of(first, queued)).noneMatch(CompletableFuture::isDone);

        writer.release();
        closing.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(closing.isAlive()).isFalse();
        // first was submitted from another thread and composed there: it may land a moment after close()
        assertThat(first).succeedsWithin(Duration.ofSeconds(10));
        assertThat(queued).isCompletedWithValue(null);
        assertThat(writer.batches).containsExactly(List.of("first"), List.of("queued"));
    }

    /** Waits until {@code thread} blocks (close() joining the flusher): a state to reach, not a time to pass. */
    private static void awaitBlocked(Thread thread) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("%s never blocked", thread.getName()).isLessThan(giveUp);
            Thread.onSpinWait();
        }
    }

    @Test
    void aCheckpointSubmittedAfterCloseIsRefusedAndNotWritten() {
        HeldWriter writer = new HeldWriter(runId -> false);
        writer.release();
        GroupCommitter committer = new GroupCommitter(writer, 10, 1, CommitObserver.NONE);
        committer.close();
        assertThatThrownBy(() -> committer.submit(checkpoint("late")).join())
                .hasCauseInstanceOf(StoreException.class).cause().hasMessageContaining("closed").hasMessageContaining("'late'");
        assertThat(writer.batches).isEmpty();
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
        try (GroupCommitter committer = new GroupCommitter(writer, 10, 1, CommitObserver.NONE)) {
            committer.submit(checkpoint("a")).join();
        }
        assertThat(calls).hasValue(3);
    }

    @Test
    void batchesNeverExceedTheMaximumSize() throws InterruptedException {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        CommitObserver observer = new CommitObserver() {
            @Override
            public void onBatchCommitted(int checkpoints, Duration latency) {
                sizes.add(checkpoints);
            }
        };
        HeldWriter writer = new HeldWriter(runId -> false);
        GroupCommitter committer = new GroupCommitter(writer, 3, 1, observer);
        List<CompletableFuture<Void>> done = new java.util.ArrayList<>();
        done.add(holdFirstBatch(committer, writer, "first"));
        for (int i = 0; i < 20; i++) {
            done.add(committer.submit(checkpoint("run-" + i)));
        }
        writer.release();
        committer.close();
        done.forEach(CompletableFuture::join);
        assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(1, 3));
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(21);
        // the 20 queued during the first write went in full batches of 3 (and the 2 left over)
        assertThat(sizes).hasSize(8);
    }

    @Test
    void observerFailureDoesNotStopCommits() {
        CommitObserver throwing = new CommitObserver() {
            @Override
            public void onBatchCommitted(int checkpoints, Duration latency) {
                throw new IllegalStateException("broken metrics");
            }
        };
        try (GroupCommitter committer = new GroupCommitter(batch -> new BitSet(), 10, 1, throwing)) {
            committer.submit(checkpoint("a")).join();
            committer.submit(checkpoint("b")).join();
        }
    }
    /** A writer that fails every batch holding {@code poison} with {@code failure}, after holding its first batch like {@link HeldWriter}. */
    private static Function<List<Checkpoint>, BitSet> failingWith(HeldWriter held, String poison, RuntimeException failure) {
        return batch -> {
            BitSet refused = held.apply(batch);
            if (batch.stream().anyMatch(checkpoint -> checkpoint.runId().equals(poison))) {
                throw failure;
            }
            return refused;
        };
    }

    @Test
    void aCheckpointRefusedForAPermanentReasonFailsAloneAndTheOthersOfItsBatchLand() throws InterruptedException {
        HeldWriter held = new HeldWriter(runId -> false);
        SQLException check = new SQLException("new row violates check constraint \"no_poison\"", "23514");
        Function<List<Checkpoint>, BitSet> writer = failingWith(held, "b", new DataIntegrityViolationException("batch", check));
        List<Integer> failedBatches = new CopyOnWriteArrayList<>();
        CommitObserver observer = new CommitObserver() {
            @Override
            public void onBatchFailed(int checkpoints, Throwable error) {
                failedBatches.add(checkpoints);
            }
        };
        try (GroupCommitter committer = new GroupCommitter(writer, 10, 1, observer)) {
            CompletableFuture<Void> first = holdFirstBatch(committer, held, "first");
            CompletableFuture<Void> c = committer.submit(checkpoint("c"));
            CompletableFuture<Void> b = committer.submit(checkpoint("b"));
            CompletableFuture<Void> a = committer.submit(checkpoint("a"));
            held.release();

            first.join();
            a.join();
            c.join();
            assertThatThrownBy(b::join).cause().isInstanceOfSatisfying(CheckpointRejectedException.class, rejected -> {
                assertThat(rejected.sqlState()).isEqualTo("23514");
                assertThat(rejected).hasMessageContaining("'b'").hasMessageContaining("SQLState 23514: new row violates check constraint");
            });
        }
        // the batch of three, then b alone
        assertThat(failedBatches).containsExactly(3, 1);
        assertThat(held.batches).containsExactly(List.of("first"), List.of("a", "b", "c"), List.of("a"), List.of("b"), List.of("c"));
    }

    @Test
    void aBatchFailingForATransientReasonFailsWholeAndIsNotSplit() throws InterruptedException {
        HeldWriter held = new HeldWriter(runId -> false);
        SQLException lost = new SQLException("connection reset", "08006");
        Function<List<Checkpoint>, BitSet> writer = failingWith(held, "b", new DataAccessResourceFailureException("batch", lost));
        try (GroupCommitter committer = new GroupCommitter(writer, 10, 1, CommitObserver.NONE)) {
            CompletableFuture<Void> first = holdFirstBatch(committer, held, "first");
            CompletableFuture<Void> b = committer.submit(checkpoint("b"));
            CompletableFuture<Void> a = committer.submit(checkpoint("a"));
            held.release();

            first.join();
            for (CompletableFuture<Void> failed : List.of(a, b)) {
                assertThatThrownBy(failed::join).cause().isExactlyInstanceOf(StoreException.class);
            }
        }
        assertThat(held.batches).containsExactly(List.of("first"), List.of("a", "b"));
    }
}
