package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WorkflowStatus;
import dev.weft.failure.OwnershipLostException;
import dev.weft.store.ActivityRecord;
import dev.weft.store.Checkpoint;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.RunOutcome;
import dev.weft.testing.TestDatabase;
import dev.weft.testing.TestSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reconciliation records written by checkpoints, on every database and through every writer: a
 * keyed step's completed record goes with its journal entry or not at all; a record alone is
 * fenced as any checkpoint; and the read of a record after a take-up writes the started one when
 * there is none.
 */
class ActivityRecordCheckpointIntegrationTests {

    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");
    private static final Duration LEASE = Duration.ofHours(1);
    private static final String DIGEST = "d".repeat(64);

    private TestSchema schema;
    private JdbcWorkflowStore store;

    private void open(TestDatabase database) {
        schema = TestSchema.create(database);
        store = JdbcWorkflowStore.builder(schema.dataSource()).tablePrefix(schema.tablePrefix()).build();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            schema.drop();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aKeyedStepAloneWritesItsEntryAndItsCompletedRecordOrUnderAStaleEpochNeither(TestDatabase database) {
        open(database);
        String live = started();
        String stale = takenOver();
        store.writeActivityRecord(ActivityRecord.started(live, "charge", DIGEST, 1, 1), 1);

        store.commit(Checkpoint.recording(live, 1, completed(1, "\"receipt\""), completedRecord(live, "\"receipt\""))).join();
        CompletableFuture<Void> refused = store.commit(Checkpoint.recording(stale, 1, completed(1, "\"late\""),
                completedRecord(stale, "\"late\"")));

        assertThat(store.loadJournal(live)).containsExactly(completed(1, "\"receipt\""));
        assertThat(store.findActivityRecord(live, "charge", DIGEST)).contains(completedRecord(live, "\"receipt\""));
        assertRefusedAndNothingWritten(refused, stale);
    }

    /** A keyed step's completion held back until the run's end lands with the end, in one statement on PostgreSQL. */
    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aRunEndingWithItsLastStepWritesTheEntryItsRecordAndTheEndOrUnderAStaleEpochNothing(TestDatabase database) {
        open(database);
        String keyed = started();
        String plain = started();
        String stale = takenOver();
        store.writeActivityRecord(ActivityRecord.started(keyed, "charge", DIGEST, 1, 1), 1);
        RunOutcome outcome = new RunOutcome(WorkflowStatus.COMPLETED, "\"done\"", null, T0);

        store.commit(Checkpoint.ending(keyed, 1, outcome)
                .after(Checkpoint.recording(keyed, 1, completed(1, "\"receipt\""), completedRecord(keyed, "\"receipt\"")))).join();
        store.commit(Checkpoint.ending(plain, 1, outcome).after(Checkpoint.of(plain, 1, completed(1, "\"plain\"")))).join();
        CompletableFuture<Void> refused = store.commit(Checkpoint.ending(stale, 1, outcome)
                .after(Checkpoint.recording(stale, 1, completed(1, "\"late\""), completedRecord(stale, "\"late\""))));

        assertThat(store.loadJournal(keyed)).containsExactly(completed(1, "\"receipt\""));
        assertThat(store.findActivityRecord(keyed, "charge", DIGEST)).contains(completedRecord(keyed, "\"receipt\""));
        assertThat(store.findRun(keyed).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(store.loadJournal(plain)).containsExactly(completed(1, "\"plain\""));
        assertThat(store.findRun(plain).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertRefusedAndNothingWritten(refused, stale);
        assertThat(store.findRun(stale).orElseThrow().status()).isEqualTo(WorkflowStatus.RUNNING);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aRecordAloneIsFencedAsACheckpoint(TestDatabase database) {
        open(database);
        String live = started();
        String stale = takenOver();
        ActivityRecord record = ActivityRecord.started(live, "charge", DIGEST, 1, 1);

        store.commit(Checkpoint.recording(1, record)).join();
        CompletableFuture<Void> refused = store.commit(Checkpoint.recording(1, ActivityRecord.started(stale, "charge", DIGEST, 1, 1)));

        assertThat(store.findActivityRecord(live, "charge", DIGEST)).contains(record);
        assertRefusedAndNothingWritten(refused, stale);
    }

    /** Written by this database's writer in one batch: the records of accepted checkpoints land, the later of two wins. */
    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aBatchWritesTheRecordsOfItsAcceptedCheckpointsOnly(TestDatabase database) {
        open(database);
        String stepping = started();
        String ending = started();
        String stale = takenOver();

        List<Checkpoint> batch = List.of(
                Checkpoint.recording(1, ActivityRecord.started(stepping, "charge", DIGEST, 1, 1)),               // 0
                Checkpoint.recording(stepping, 1, completed(1, "\"one\""), completedRecord(stepping, "\"one\"")), // 1 replaces 0
                Checkpoint.recording(1, ActivityRecord.started(stepping, "refund", DIGEST, 2, 1)),               // 2
                Checkpoint.recording(stale, 1, completed(1, "\"stale\""), completedRecord(stale, "\"stale\"")),  // 3 wrong epoch
                Checkpoint.ending(ending, 1, new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0)),            // 4
                Checkpoint.recording(1, ActivityRecord.started(ending, "charge", DIGEST, 1, 1)));                 // 5 after the end

        BitSet refused = CheckpointWriter.forDialect(new NamedParameterJdbcTemplate(schema.dataSource()),
                new TransactionTemplate(new JdbcTransactionManager(schema.dataSource())),
                new SqlTemplate(schema.dialect(), schema.tablePrefix())).write(batch);

        assertThat(refused.stream().boxed().toList()).containsExactly(3, 5);
        assertThat(store.findActivityRecord(stepping, "charge", DIGEST)).contains(completedRecord(stepping, "\"one\""));
        assertThat(store.findActivityRecord(stepping, "refund", DIGEST)).contains(ActivityRecord.started(stepping, "refund", DIGEST, 2, 1));
        assertThat(store.loadJournal(stepping)).containsExactly(completed(1, "\"one\""));
        assertThat(store.findActivityRecord(stale, "charge", DIGEST)).isEmpty();
        assertThat(store.findActivityRecord(ending, "charge", DIGEST)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void startingARecordWritesItWhereThereIsNoneAndOtherwiseAnswersTheOneThereWritingNothing(TestDatabase database) {
        open(database);
        String id = started();
        ActivityRecord first = ActivityRecord.started(id, "charge", DIGEST, 1, 1);

        assertThat(store.startActivityRecord(first, 1)).isEmpty();
        assertThat(store.findActivityRecord(id, "charge", DIGEST)).contains(first);

        store.writeActivityRecord(completedRecord(id, "\"receipt\""), 1);
        assertThat(store.startActivityRecord(ActivityRecord.started(id, "charge", DIGEST, 3, 1), 1))
                .contains(completedRecord(id, "\"receipt\""));
        assertThat(store.findActivityRecord(id, "charge", DIGEST)).contains(completedRecord(id, "\"receipt\""));
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void startingARecordUnderAStaleEpochIsRefusedAndWritesNothing(TestDatabase database) {
        open(database);
        String id = takenOver();

        assertThatThrownBy(() -> store.startActivityRecord(ActivityRecord.started(id, "charge", DIGEST, 1, 1), 1))
                .isInstanceOf(OwnershipLostException.class).hasMessageContaining("epoch 1");
        assertThat(store.findActivityRecord(id, "charge", DIGEST)).isEmpty();
        assertThat(store.startActivityRecord(ActivityRecord.started(id, "charge", DIGEST, 1, 1), 2)).isEqualTo(Optional.empty());
    }

    /** A run of node-a whose lease has lapsed already, so that node-b may claim it. */
    private String started() {
        String id = UUID.randomUUID().toString();
        store.createRun(new NewRun(id, "order", "{}", "node-a", Duration.ZERO, T0));
        return id;
    }

    /** A run of node-a that node-b took over: held at epoch 2. */
    private String takenOver() {
        String id = started();
        store.claim(id, "node-b", LEASE).orElseThrow();
        return id;
    }

    private void assertRefusedAndNothingWritten(CompletableFuture<Void> refused, String runId) {
        assertThatThrownBy(refused::join).hasCauseInstanceOf(OwnershipLostException.class);
        assertThat(store.loadJournal(runId)).isEmpty();
        assertThat(store.findActivityRecord(runId, "charge", DIGEST)).isEmpty();
    }

    private static JournalEntry completed(long seq, String result) {
        return new JournalEntry(seq, EntryKind.ACTIVITY, "charge", EntryState.COMPLETED, result, null, 1, null, T0);
    }

    private static ActivityRecord completedRecord(String runId, String result) {
        return ActivityRecord.completed(runId, "charge", DIGEST, 1, 1, result);
    }
}
