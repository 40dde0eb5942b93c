package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.event.CommitObserver;
import dev.weft.failure.CheckpointRejectedException;
import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import dev.weft.store.Checkpoint;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.RunOutcome;
import dev.weft.WorkflowStatus;
import dev.weft.testing.TestDatabase;
import dev.weft.testing.TestSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On every database (and every way of talking to it), a checkpoint the database refuses for good
 * fails alone with the database's reason while the rest of its batch lands, and a failure's text
 * holding what no database stores as it is comes back exactly as it was written.
 */
class RefusedCheckpointIntegrationTests {

    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");

    private TestSchema schema;
    private JdbcWorkflowStore store;

    @AfterEach
    void drop() {
        if (store != null) {
            store.close();
        }
        if (schema != null) {
            schema.drop();
        }
    }

    private JdbcWorkflowStore open(TestDatabase database, CommitObserver observer) {
        schema = TestSchema.create(database);
        // one batch at a time, so that what is submitted while the first is held shares the next batch
        store = JdbcWorkflowStore.builder(schema.dataSource()).tablePrefix(schema.tablePrefix()).observer(observer)
                .concurrentBatches(1).build();
        return store;
    }

    private String started() {
        String id = "run-" + UUID.randomUUID();
        store.createRun(new NewRun(id, "order", "{}", "node-a", Duration.ofHours(1), T0));
        return id;
    }

    private static JournalEntry step(String name) {
        return new JournalEntry(1, EntryKind.ACTIVITY, name, EntryState.COMPLETED, "\"ok\"", null, 1, null, T0);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aCheckpointRefusedForGoodFailsAloneWithTheReasonAndTheRestOfItsBatchLands(TestDatabase database) throws Exception {
        HeldFirstBatch observer = new HeldFirstBatch();
        open(database, observer);
        String constraint = schema.tablePrefix() + "no_poison";
        // in a transaction: through a pool without auto-commit, PostgreSQL's DDL would be rolled back
        new TransactionTemplate(new JdbcTransactionManager(schema.dataSource())).executeWithoutResult(status ->
                schema.sql("alter table %PREFIX%journal add constraint " + constraint + " check (name <> 'poison')").update());
        String warmUp = started();
        String before = started();
        String poisoned = started();
        String after = started();
        observer.arm();

        // a lone checkpoint is written on its caller's thread: from another one, so that this one goes on
        CompletableFuture<Void> first = CompletableFuture.supplyAsync(() -> store.commit(Checkpoint.of(warmUp, 1, step("charge"))))
                .thenCompose(Function.identity());
        assertThat(observer.firstBatchCommitted.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> landsBefore = store.commit(Checkpoint.of(before, 1, step("charge")));
        CompletableFuture<Void> refused = store.commit(Checkpoint.of(poisoned, 1, step("poison")));
        CompletableFuture<Void> landsAfter = store.commit(Checkpoint.of(after, 1, step("charge")));
        observer.release.countDown();

        first.join();
        landsBefore.join();
        landsAfter.join();
        assertThatThrownBy(refused::join).cause().isInstanceOfSatisfying(CheckpointRejectedException.class, rejected -> {
            assertThat(rejected.sqlState()).startsWith("23");
            assertThat(rejected.getMessage()).contains(poisoned, "SQLState 23").containsIgnoringCase(constraint);
        });
        assertThat(observer.failedBatchSizes).containsExactly(3, 1);
        assertThat(store.loadJournal(before)).containsExactly(step("charge"));
        assertThat(store.loadJournal(after)).containsExactly(step("charge"));
        assertThat(store.loadJournal(poisoned)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aFailureHoldingNulAndLoneSurrogatesIsReadBackExactlyFromTheJournalAndTheRun(TestDatabase database) {
        open(database, CommitObserver.NONE);
        String id = started();
        FailureInfo hostile = new FailureInfo("com.example.Bad", "bad\u0000message \udc00 weft-escaped:\\0", FailureCategory.APPLICATION,
                "CODE\u0000", "com.example.Bad: bad\u0000message\n\tat Example.run(Example.java:1)");
        JournalEntry retrying = JournalEntry.activityRetrying(1, "charge", hostile, 2, T0.plusSeconds(1), T0);

        store.commit(Checkpoint.of(id, 1, retrying)).join();
        store.commit(Checkpoint.ending(id, 1, new RunOutcome(WorkflowStatus.FAILED, null, hostile, T0))).join();

        assertThat(store.loadJournal(id)).singleElement().satisfies(entry -> assertThat(entry.failure()).isEqualTo(hostile));
        assertThat(store.findRun(id).orElseThrow().failure()).isEqualTo(hostile);
    }

    /** Holds the first batch after its commit until released, and records the sizes of the batches that failed. */
    private static final class HeldFirstBatch implements CommitObserver {

        final CountDownLatch firstBatchCommitted = new CountDownLatch(1);
        private volatile boolean armed;
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> failedBatchSizes = new CopyOnWriteArrayList<>();

        @Override
        public void onBatchCommitted(int checkpoints, Duration latency) {
            if (armed && firstBatchCommitted.getCount() > 0) {
                firstBatchCommitted.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** From now on, the next batch committed is held. */
        void arm() {
            armed = true;
        }

        @Override
        public void onBatchFailed(int checkpoints, Throwable error) {
            failedBatchSizes.add(checkpoints);
        }
    }
}
