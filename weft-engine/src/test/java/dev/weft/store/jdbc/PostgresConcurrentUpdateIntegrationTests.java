package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WorkflowStatus;
import dev.weft.store.Checkpoint;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.RunOutcome;
import dev.weft.testing.TestDatabase;
import dev.weft.testing.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An end that cancels a child or wakes a parent whose row another transaction is updating (a lease
 * renewal, a claim): the end waits for that transaction and then changes the row's newest version.
 * A statement that found the row through its own snapshot and updated it by physical address would
 * silently miss it, once the other transaction committed after that snapshot was taken.
 */
class PostgresConcurrentUpdateIntegrationTests {

    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30Z");
    private static final Duration LEASE = Duration.ofHours(1);

    private TestSchema schema;
    private JdbcWorkflowStore store;
    private CheckpointWriter writer;

    @BeforeEach
    void createSchema() {
        schema = TestSchema.create(TestDatabase.POSTGRESQL);
        store = JdbcWorkflowStore.builder(schema.dataSource()).tablePrefix(schema.tablePrefix()).build();
        writer = CheckpointWriter.forDialect(new NamedParameterJdbcTemplate(schema.dataSource()),
                new TransactionTemplate(new JdbcTransactionManager(schema.dataSource())),
                new SqlTemplate(schema.dialect(), schema.tablePrefix()));
    }

    @AfterEach
    void dropSchema() {
        store.close();
        schema.drop();
    }

    @Test
    void aParentEndingAloneCancelsAChildThatIsBeingUpdated() throws Exception {
        String parent = started(null);
        String child = started(parent);

        writeWhileUpdating(child, List.of(ending(parent, null)));

        assertThat(store.findRun(child).orElseThrow().cancelRequested()).isTrue();
    }

    @Test
    void aChildEndingAloneWakesAParentThatIsBeingUpdated() throws Exception {
        String parent = started(null);
        String child = started(parent);

        writeWhileUpdating(parent, List.of(ending(child, parent)));

        assertThat(wakeRequested(parent)).isTrue();
    }

    @Test
    void endsBatchedWithStepsCancelAChildAndWakeAParentThatAreBeingUpdated() throws Exception {
        endWithChildAndGrandparentBeingUpdated(other -> step(other));
    }

    @Test
    void endsBatchedWithAParkCancelAChildAndWakeAParentThatAreBeingUpdated() throws Exception {
        endWithChildAndGrandparentBeingUpdated(other -> Checkpoint.parking(other, 1, List.of(), T0.plus(LEASE)));
    }

    /**
     * Ends a parent in a batch with {@code besides} (a checkpoint of another run, which decides how
     * the batch is written) while its child and its own parent are being updated.
     */
    private void endWithChildAndGrandparentBeingUpdated(Function<String, Checkpoint> besides) throws Exception {
        String grandparent = started(null);
        String parent = started(grandparent);
        String child = started(parent);
        List<Checkpoint> batch = sorted(ending(parent, grandparent), besides.apply(started(null)));

        CompletableFuture<BitSet> write = startWhileUpdating(List.of(child, grandparent), batch);

        assertThat(write.get(10, TimeUnit.SECONDS).isEmpty()).isTrue();
        assertThat(store.findRun(child).orElseThrow().cancelRequested()).isTrue();
        assertThat(wakeRequested(grandparent)).isTrue();
    }

    /**
     * Parents and their children ending at the same moment, through a store writing two batches
     * at once: an end locks the other run of the pair, so two batches can deadlock. PostgreSQL
     * aborts one and the store writes it again: every end lands, none is lost or refused.
     */
    @Test
    void parentsAndChildrenEndingTogetherInConcurrentBatchesAllEnd() {
        List<String> parents = new java.util.ArrayList<>();
        List<String> children = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String parent = started(null);
            parents.add(parent);
            children.add(started(parent));
        }
        try (JdbcWorkflowStore twoBatches = JdbcWorkflowStore.builder(schema.dataSource()).tablePrefix(schema.tablePrefix())
                .concurrentBatches(2).build();
             var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> ends = new java.util.ArrayList<>();
            for (int i = 0; i < parents.size(); i++) {
                String parent = parents.get(i);
                String child = children.get(i);
                ends.add(CompletableFuture.supplyAsync(() -> twoBatches.commit(ending(parent, null)), threads).thenCompose(f -> f));
                ends.add(CompletableFuture.supplyAsync(() -> twoBatches.commit(ending(child, parent)), threads).thenCompose(f -> f));
            }
            CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new)).join();
        }
        for (String run : parents) {
            assertThat(store.findRun(run).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
        }
        for (String run : children) {
            assertThat(store.findRun(run).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
        }
    }

    /** Writes {@code batch} while another transaction updates {@code runId}, committing it once the write waits for it. */
    private void writeWhileUpdating(String runId, List<Checkpoint> batch) throws Exception {
        assertThat(startWhileUpdating(List.of(runId), batch).get(10, TimeUnit.SECONDS).isEmpty()).isTrue();
    }

    private CompletableFuture<BitSet> startWhileUpdating(List<String> runIds, List<Checkpoint> batch) throws Exception {
        try (Connection other = schema.dataSource().getConnection()) {
            other.setAutoCommit(false);
            for (String runId : runIds) {
                // as a lease renewal does: a new version of the row, not committed yet
                try (PreparedStatement renew = other.prepareStatement("update " + schema.tablePrefix()
                        + "run set lease_expires_at = lease_expires_at + interval '1 second' where id = ?")) {
                    renew.setString(1, runId);
                    assertThat(renew.executeUpdate()).isOne();
                }
            }
            CompletableFuture<BitSet> write = CompletableFuture.supplyAsync(() -> writer.write(batch));
            awaitABackendWaitingForALock(write);
            other.commit();
            return write;
        }
    }

    /** Waits until the write's statement (its snapshot taken) waits for the other transaction's row lock. */
    private void awaitABackendWaitingForALock(CompletableFuture<BitSet> write) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < giveUp) {
            assertThat(write).as("the write must wait for the row being updated").isNotDone();
            Integer waiting = schema.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                    + "and datname = current_database()").query(Integer.class).single();
            if (waiting > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the write never waited for the row lock");
    }

    private String started(String parentId) {
        String id = "run-" + UUID.randomUUID();
        store.createRun(new NewRun(id, "order", "{}", "node-a", LEASE, T0, null, 1, parentId, parentId == null ? 0 : 1,
                parentId == null ? null : "request_cancel", parentId == null ? 0 : 1));
        return id;
    }

    private static Checkpoint ending(String runId, String parentId) {
        return Checkpoint.ending(runId, 1, new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0, parentId));
    }

    private static Checkpoint step(String runId) {
        return Checkpoint.of(runId, 1, new JournalEntry(1, EntryKind.ACTIVITY, "charge", EntryState.COMPLETED, "1", null, 1, null, T0));
    }

    /** A batch as the group commit hands it to a writer: sorted by run id. */
    private static List<Checkpoint> sorted(Checkpoint... checkpoints) {
        return Arrays.stream(checkpoints).sorted(Comparator.comparing(Checkpoint::runId)).toList();
    }

    private boolean wakeRequested(String runId) {
        return schema.sql("select wake_requested from %PREFIX%run where id = :id").param("id", runId).query(Boolean.class).single();
    }
}
