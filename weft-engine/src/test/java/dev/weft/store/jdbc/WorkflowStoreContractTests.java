package dev.weft.store.jdbc;

import dev.weft.event.CommitObserver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.OwnershipLostException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.WorkflowStatus;
import dev.weft.store.CancelRequest;
import dev.weft.store.Checkpoint;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.NewSignal;
import dev.weft.store.WorkflowStore;
import dev.weft.store.RunClaim;
import dev.weft.store.RunOutcome;
import dev.weft.store.RunRecord;
import dev.weft.store.RunQuery;
import dev.weft.store.DeleteOutcome;
import dev.weft.testing.TestDatabase;
import dev.weft.testing.TestSchema;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What every {@link JdbcWorkflowStore} database must do. One concrete subclass per database, each
 * on tables of its own random prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WorkflowStoreContractTests {

    private static final Duration LONG_LEASE = Duration.ofHours(1);

    private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");

    private TestSchema schema;

    private final List<JdbcWorkflowStore> stores = new ArrayList<>();

    private JdbcWorkflowStore store;

    /** The database this class runs on. */
    abstract TestDatabase database();

    @AfterAll
    void dropSchema() {
        if (schema != null) {
            schema.drop();
        }
    }

    @BeforeEach
    void openStore() {
        // created by the first test rather than in @BeforeAll, so that a database that is not
        // there skips (or, on CI, fails) each test visibly instead of hiding the whole class
        if (schema == null) {
            schema = TestSchema.create(database());
        }
        store = newStore(CommitObserver.NONE);
    }

    @AfterEach
    void closeStores() {
        stores.forEach(JdbcWorkflowStore::close);
        stores.clear();
    }

    private JdbcWorkflowStore newStore(CommitObserver observer) {
        return newStore(JdbcWorkflowStore.builder(schema.dataSource()).observer(observer));
    }

    private JdbcWorkflowStore newStore(JdbcWorkflowStoreBuilder builder) {
        JdbcWorkflowStore created = builder.tablePrefix(schema.tablePrefix()).build();
        stores.add(created);
        return created;
    }

    private static String id() {
        return "run-" + UUID.randomUUID();
    }

    private static String type() {
        return "type-" + UUID.randomUUID();
    }

    private static NewRun run(String id, String type, String owner, Duration lease) {
        return new NewRun(id, type, "{\"in\":1}", owner, lease, T0);
    }

    private String started(String owner, Duration lease) {
        String id = id();
        store.createRun(run(id, "order", owner, lease));
        return id;
    }

    private static JournalEntry completed(long seq, String result) {
        return new JournalEntry(seq, EntryKind.ACTIVITY, "charge", EntryState.COMPLETED, result, null, 1, null, T0);
    }

    private static FailureInfo failure() {
        return new FailureInfo("com.example.PaymentDeclined", "card declined", FailureCategory.APPLICATION,
                "PAYMENT_DECLINED", "com.example.PaymentDeclined: card declined\n\tat Example.charge(Example.java:42)");
    }

    @Test
    void createdRunIsRunningUnderEpochOneWithLeaseFromTheDatabaseClock() {
        Instant before = store.databaseTime();
        String id = id();
        assertThat(store.createRun(run(id, "order", "node-a", LONG_LEASE))).isEqualTo(1);
        RunRecord record = store.findRun(id).orElseThrow();
        assertThat(record.id()).isEqualTo(id);
        assertThat(record.type()).isEqualTo("order");
        assertThat(record.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(record.input()).isEqualTo("{\"in\":1}");
        assertThat(record.result()).isNull();
        assertThat(record.failure()).isNull();
        assertThat(record.owner()).isEqualTo("node-a");
        assertThat(record.epoch()).isEqualTo(1);
        assertThat(record.cancelRequested()).isFalse();
        assertThat(record.createdAt()).isEqualTo(T0);
        assertThat(record.completedAt()).isNull();
        assertThat(record.leaseExpiresAt()).isBetween(before.plus(LONG_LEASE).minusSeconds(1), store.databaseTime().plus(LONG_LEASE));
    }

    @Test
    void aChildCreatedAloneKeepsItsDeadlineVersionParentAndDepth() {
        String parent = started("node-a", LONG_LEASE);
        String child = id();
        Instant created = T0.plusNanos(123_456_789);
        Instant deadline = T0.plusSeconds(3_600).plusNanos(987_654_321);
        assertThat(store.createRun(new NewRun(child, "order", "[1,2]", "node-a", LONG_LEASE, created, deadline, 7, parent, 4,
                "request_cancel", 2))).isEqualTo(1);
        RunRecord record = store.findRun(child).orElseThrow();
        assertThat(record.input()).isEqualTo("[1,2]");
        // stored to the microsecond, as every instant
        assertThat(record.createdAt()).isEqualTo(T0.plusNanos(123_456_000));
        assertThat(record.deadline()).isEqualTo(T0.plusSeconds(3_600).plusNanos(987_654_000));
        assertThat(record.version()).isEqualTo(7);
        assertThat(record.parentId()).isEqualTo(parent);
        assertThat(record.parentSeq()).isEqualTo(4);
        assertThat(record.depth()).isEqualTo(2);
    }

    @Test
    void findRunOfUnknownIdIsEmpty() {
        assertThat(store.findRun("missing-" + UUID.randomUUID())).isEmpty();
        assertThat(store.loadJournal("missing-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void createRunWithTheIdOfARunningRunFailsSayingItStillRuns() {
        String id = started("node-a", LONG_LEASE);
        assertThatThrownBy(() -> store.createRun(run(id, "other", "node-b", LONG_LEASE)))
                .isInstanceOf(WorkflowAlreadyExistsException.class)
                .hasMessageContaining(id)
                .hasMessageContaining("still running");
        assertThat(store.findRun(id).orElseThrow().type()).isEqualTo("order");
    }

    @Test
    void concurrentCreationsOfOneIdCreateOneRunAndTellTheOthersTheIdExists() throws Exception {
        String id = id();
        int starters = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> attempts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(starters)) {
            for (int i = 0; i < starters; i++) {
                String owner = "node-" + i;
                attempts.add(pool.submit(() -> {
                    go.await();
                    return store.createRun(run(id, "order", owner, LONG_LEASE));
                }));
            }
            go.countDown();
            int created = 0;
            for (Future<?> attempt : attempts) {
                try {
                    attempt.get(30, TimeUnit.SECONDS);
                    created++;
                } catch (ExecutionException refused) {
                    // the refusal speaks of the id, and nothing in it speaks of ownership
                    assertThat(refused.getCause()).isInstanceOf(WorkflowAlreadyExistsException.class)
                            .hasMessageContaining(id).hasMessageContaining("already exists")
                            .hasNoCause();
                }
            }
            assertThat(created).isEqualTo(1);
        }
        assertThat(store.findRun(id)).isPresent();
    }

    @Test
    void aRunOfTheLongestWorkflowNameADefinitionAcceptsIsStored() {
        String id = id();
        String longest = "t".repeat(dev.weft.failure.DefinitionNames.MAX_LENGTH - 1) + "\u00e9";

        store.createRun(run(id, longest, "node-a", LONG_LEASE));

        assertThat(store.findRun(id).orElseThrow().type()).isEqualTo(longest);
    }

    @Test
    void createRunWithTheIdOfAnEndedRunFailsSayingItEnded() {
        String id = started("node-a", LONG_LEASE);
        store.commit(Checkpoint.ending(id, 1, new RunOutcome(WorkflowStatus.COMPLETED, "42", null, T0))).join();
        assertThatThrownBy(() -> store.createRun(run(id, "order", "node-a", LONG_LEASE)))
                .isInstanceOf(WorkflowAlreadyExistsException.class)
                .hasMessageContaining(id)
                .hasMessageContaining("ended completed");
    }

    @Test
    void journalEntriesAreRewrittenInPlaceAndLoadedInSeqOrder() {
        String id = started("node-a", LONG_LEASE);
        JournalEntry waiting = new JournalEntry(2, EntryKind.SLEEP, "sleep", EntryState.WAITING, null, null, 0,
                T0.plusSeconds(60), T0);
        store.commit(new Checkpoint(id, 1, List.of(completed(3, "\"c\""), waiting, completed(1, "\"a\"")), null)).join();
        assertThat(store.loadJournal(id)).containsExactly(completed(1, "\"a\""), waiting, completed(3, "\"c\""));

        JournalEntry fired = new JournalEntry(2, EntryKind.SLEEP, "sleep", EntryState.COMPLETED, null, null, 0,
                T0.plusSeconds(60), T0);
        store.commit(Checkpoint.of(id, 1, fired)).join();
        assertThat(store.loadJournal(id)).containsExactly(completed(1, "\"a\""), fired, completed(3, "\"c\""));
    }

    @Test
    void failuresRoundTripInJournalAndOutcome() {
        String id = started("node-a", LONG_LEASE);
        JournalEntry retrying = new JournalEntry(1, EntryKind.ACTIVITY, "charge", EntryState.WAITING, null,
                failure(), 2, T0.plusSeconds(5), T0);
        store.commit(Checkpoint.of(id, 1, retrying)).join();
        assertThat(store.loadJournal(id)).containsExactly(retrying);

        FailureInfo withoutCode = new FailureInfo("java.lang.IllegalStateException", "", FailureCategory.TIMEOUT, null, null);
        JournalEntry failed = new JournalEntry(1, EntryKind.ACTIVITY, "charge", EntryState.FAILED, null, withoutCode, 3, null, T0);
        store.commit(new Checkpoint(id, 1, List.of(failed), new RunOutcome(WorkflowStatus.FAILED, null, failure(), T0))).join();
        assertThat(store.loadJournal(id)).containsExactly(failed);
        RunRecord record = store.findRun(id).orElseThrow();
        assertThat(record.failure()).isEqualTo(failure());
        assertThat(record.status()).isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void outcomeEndsTheRunAndGivesUpOwnerAndLease() {
        String id = started("node-a", LONG_LEASE);
        store.requestCancel(id);
        Instant end = T0.plusSeconds(90);
        store.commit(new Checkpoint(id, 1, List.of(completed(1, "\"a\"")), new RunOutcome(WorkflowStatus.COMPLETED, "{\"ok\":true}", null, end))).join();
        RunRecord record = store.findRun(id).orElseThrow();
        assertThat(record.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(record.result()).isEqualTo("{\"ok\":true}");
        assertThat(record.completedAt()).isEqualTo(end);
        assertThat(record.owner()).isNull();
        assertThat(record.leaseExpiresAt()).isNull();
        assertThat(record.cancelRequested()).as("the request stays on record").isTrue();
        assertThat(store.findCancelRequested("node-a")).doesNotContain(id);
    }

    @Test
    void aCancelledRunKeepsItsCancellationRequestAndARunNeverAskedHasNone() {
        String cancelled = started("node-a", LONG_LEASE);
        String completed = started("node-a", LONG_LEASE);
        String suspended = started("node-a", LONG_LEASE);
        store.requestCancel(cancelled);
        store.commit(Checkpoint.ending(cancelled, 1, new RunOutcome(WorkflowStatus.CANCELLED, null, null, T0))).join();
        store.commit(Checkpoint.ending(completed, 1, new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0))).join();
        store.suspend(suspended);

        assertThat(store.requestCancel(suspended)).isEqualTo(CancelRequest.REQUESTED);

        assertThat(store.findRun(cancelled).orElseThrow().cancelRequested()).isTrue();
        assertThat(store.findRun(completed).orElseThrow().cancelRequested()).isFalse();
        RunRecord wasSuspended = store.findRun(suspended).orElseThrow();
        assertThat(wasSuspended.status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(wasSuspended.cancelRequested()).isTrue();
    }

    @Test
    void staleEpochIsRefusedWhileTheOtherCheckpointOfTheSameBatchCommits() throws Exception {
        String stale = started("node-a", Duration.ZERO);
        String live = started("node-a", LONG_LEASE);
        assertThat(store.claim(stale, "node-b", LONG_LEASE)).map(RunClaim::epoch).contains(2L);

        HeldFirstBatch observer = new HeldFirstBatch();
        // one batch at a time, so that the two checkpoints queued behind the held one share a batch
        JdbcWorkflowStore held = newStore(JdbcWorkflowStore.builder(schema.dataSource()).observer(observer).concurrentBatches(1));
        String warmUp = started("node-a", LONG_LEASE);
        // a lone checkpoint is written on its caller's thread: from another thread, so this one goes on
        CompletableFuture<Void> first = CompletableFuture.supplyAsync(() -> held.commit(Checkpoint.of(warmUp, 1, completed(1, "0"))))
                .thenCompose(java.util.function.Function.identity());
        assertThat(observer.firstBatchCommitted.await(10, TimeUnit.SECONDS)).isTrue();
        // the first writer waits in the observer: the next two checkpoints queue up and go in one batch
        CompletableFuture<Void> refused = held.commit(Checkpoint.of(stale, 1, completed(1, "\"old owner\"")));
        CompletableFuture<Void> accepted = held.commit(Checkpoint.of(live, 1, completed(1, "\"ok\"")));
        observer.release.countDown();

        first.join();
        accepted.join();
        assertThatThrownBy(refused::join).hasCauseInstanceOf(OwnershipLostException.class)
                .cause().hasMessageContaining(stale).hasMessageContaining("epoch 1");
        assertThat(observer.batchSizes).containsExactly(1, 2);
        assertThat(store.loadJournal(stale)).isEmpty();
        assertThat(store.loadJournal(live)).containsExactly(completed(1, "\"ok\""));
        assertThat(store.findRun(stale).orElseThrow().owner()).isEqualTo("node-b");
    }

    /**
     * One batch with every kind of checkpoint and every reason to refuse one, written by the writer
     * this database gets: each refusal stays alone and everything else lands, once.
     */
    @Test
    void oneBatchWritesEveryAcceptedCheckpointAndRefusesTheRestAlone() {
        String ending = started("node-a", LONG_LEASE);
        String parking = started("node-a", LONG_LEASE);
        String ended = started("node-a", LONG_LEASE);
        store.commit(Checkpoint.ending(ended, 1, new RunOutcome(WorkflowStatus.FAILED, null, failure(), T0))).join();
        String waiting = started("node-a", LONG_LEASE);
        store.sendSignal(new NewSignal(waiting, "approve", "true", null, T0));
        long signalId = store.nextSignal(waiting, "approve").orElseThrow().id();
        NewRun childToCancel = new NewRun(id(), "order", "{}", "node-a", LONG_LEASE, T0, null, 1, ending, 1, "request_cancel", 1);
        store.createRun(childToCancel);
        NewRun created = run(id(), "order", "node-a", LONG_LEASE);
        NewRun childEnding = new NewRun(id(), "order", "{}", "node-a", LONG_LEASE, T0, null, 1, waiting, 2, "abandon", 1);
        store.createRun(childEnding);
        NewRun startedChild = new NewRun(id(), "order", "{}", "node-a", LONG_LEASE, T0, null, 1, parking, 2, "abandon", 1);
        JournalEntry signalEntry = new JournalEntry(1, EntryKind.SIGNAL, "approve", EntryState.COMPLETED, "true", null, 1, null, T0);
        Instant wakeAt = T0.plus(Duration.ofHours(1));

        List<Checkpoint> batch = List.of(
                Checkpoint.creating(created),                                                           // 0
                Checkpoint.creating(created),                                                           // 1 same id again
                Checkpoint.creating(run(ending, "order", "node-a", LONG_LEASE)),                        // 2 id exists
                Checkpoint.of(ending, 1, completed(1, "\"first\"")),                                  // 3
                Checkpoint.of(ending, 1, completed(1, "\"second\"")),                                 // 4 same row again
                new Checkpoint(ending, 1, List.of(completed(2, "2")), new RunOutcome(WorkflowStatus.COMPLETED, "\"done\"", null, T0)), // 5
                Checkpoint.of(ending, 1, completed(3, "3")),                                            // 6 after the end
                Checkpoint.of(parking, 7, completed(1, "\"stale\"")),                                 // 7 wrong epoch
                Checkpoint.startingChild(parking, 1, completed(2, "null"), startedChild),               // 8
                Checkpoint.parking(parking, 1, List.of(), wakeAt),                                      // 9
                Checkpoint.of(ended, 1, completed(1, "\"late\"")),                                    // 10 run ended
                Checkpoint.consuming(waiting, 1, signalEntry, signalId),                                // 11
                Checkpoint.of(created.id(), 1, completed(1, "\"new\"")),                              // 12 run created in this batch
                Checkpoint.ending(childEnding.id(), 1,
                        new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0, waiting)));             // 13 wakes its parent

        BitSet refused = CheckpointWriter.forDialect(
                new NamedParameterJdbcTemplate(schema.dataSource()),
                new TransactionTemplate(new JdbcTransactionManager(schema.dataSource())),
                new SqlTemplate(schema.dialect(), schema.tablePrefix())).write(batch);

        assertThat(refused.stream().boxed().toList()).containsExactly(1, 2, 6, 7, 10);
        assertThat(store.loadJournal(ending)).containsExactly(completed(1, "\"second\""), completed(2, "2"));
        assertThat(store.findRun(ending).orElseThrow().result()).isEqualTo("\"done\"");
        assertThat(store.findRun(childToCancel.id()).orElseThrow().cancelRequested()).isTrue();
        RunRecord parked = store.findRun(parking).orElseThrow();
        assertThat(parked.owner()).isNull();
        assertThat(parked.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(store.loadJournal(parking)).containsExactly(completed(2, "null"));
        assertThat(store.findRun(startedChild.id()).orElseThrow().parentId()).isEqualTo(parking);
        assertThat(store.loadJournal(ended)).isEmpty();
        assertThat(store.loadJournal(waiting)).containsExactly(signalEntry);
        assertThat(store.nextSignal(waiting, "approve")).isEmpty();
        assertThat(store.findRun(created.id()).orElseThrow().epoch()).isEqualTo(1);
        assertThat(store.loadJournal(created.id())).containsExactly(completed(1, "\"new\""));
        assertThat(store.findRun(childEnding.id()).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(schema.sql("select wake_requested from %PREFIX%run where id = :id").param("id", waiting)
                .query(Boolean.class).single()).isTrue();
        assertThat(schema.sql("select wake_requested from %PREFIX%run where id = :id").param("id", parking)
                .query(Boolean.class).single()).isFalse();
    }

    /**
     * A batch of starts, steps and ends only (on PostgreSQL two statements: the first creates,
     * locks and writes the journal, the second ends and cancels and wakes): every refusal alone.
     */
    @Test
    void oneBatchOfStartsStepsAndEndsWritesWhatIsAcceptedAndRefusesTheRestAlone() {
        String stepping = started("node-a", LONG_LEASE);
        String parent = started("node-a", LONG_LEASE);
        String ending = id();
        store.createRun(new NewRun(ending, "order", "{}", "node-a", LONG_LEASE, T0, null, 1, parent, 1, "abandon", 1));
        NewRun toCancel = new NewRun(id(), "order", "{}", "node-a", LONG_LEASE, T0, null, 1, ending, 1, "request_cancel", 2);
        NewRun toLeave = new NewRun(id(), "order", "{}", "node-a", LONG_LEASE, T0, null, 1, ending, 2, "abandon", 2);
        NewRun endingChild = new NewRun(id(), "order", "{}", "node-a", LONG_LEASE, T0, null, 1, ending, 3, "request_cancel", 2);
        store.createRun(toCancel);
        store.createRun(toLeave);
        store.createRun(endingChild);
        String staleEnd = id();
        NewRun staleChild = new NewRun(id(), "order", "{}", "node-a", LONG_LEASE, T0, null, 1, staleEnd, 1, "request_cancel", 1);
        store.createRun(run(staleEnd, "order", "node-a", Duration.ZERO));
        store.createRun(staleChild);
        store.claim(staleEnd, "node-b", LONG_LEASE).orElseThrow();
        NewRun created = run(id(), "order", "node-a", LONG_LEASE);

        List<Checkpoint> batch = List.of(
                Checkpoint.creating(created),                                                           // 0
                Checkpoint.creating(created),                                                           // 1 same id again
                Checkpoint.creating(run(stepping, "order", "node-a", LONG_LEASE)),                      // 2 id exists
                Checkpoint.of(stepping, 1, completed(1, "\"one\"")),                                // 3
                Checkpoint.of(stepping, 1, completed(2, "\"two\"")),                                // 4
                Checkpoint.of(stepping, 3, completed(3, "\"stale\"")),                              // 5 wrong epoch
                Checkpoint.ending(ending, 1, new RunOutcome(WorkflowStatus.COMPLETED, "\"done\"", null, T0, parent)), // 6
                Checkpoint.of(ending, 1, completed(9, "9")),                                            // 7 after the end
                Checkpoint.ending(endingChild.id(), 1, new RunOutcome(WorkflowStatus.FAILED, null, failure(), T0, ending)), // 8
                Checkpoint.ending(staleEnd, 1, new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0)));              // 9 stale

        BitSet refused = CheckpointWriter.forDialect(
                new NamedParameterJdbcTemplate(schema.dataSource()),
                new TransactionTemplate(new JdbcTransactionManager(schema.dataSource())),
                new SqlTemplate(schema.dialect(), schema.tablePrefix())).write(batch);

        assertThat(refused.stream().boxed().toList()).containsExactly(1, 2, 5, 7, 9);
        assertThat(store.findRun(created.id()).orElseThrow().status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(store.loadJournal(stepping)).containsExactly(completed(1, "\"one\""), completed(2, "\"two\""));
        assertThat(store.loadJournal(ending)).isEmpty();
        assertThat(store.findRun(ending).orElseThrow().result()).isEqualTo("\"done\"");
        assertThat(store.findRun(endingChild.id()).orElseThrow().status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(store.findRun(endingChild.id()).orElseThrow().cancelRequested()).isFalse();
        assertThat(store.findRun(toCancel.id()).orElseThrow().cancelRequested()).isTrue();
        assertThat(store.findRun(toLeave.id()).orElseThrow().cancelRequested()).isFalse();
        assertThat(wakeRequested(parent)).isTrue();
        assertThat(wakeRequested(ending)).isFalse();
        assertThat(store.findRun(staleEnd).orElseThrow().status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(store.findRun(staleChild.id()).orElseThrow().cancelRequested()).isFalse();
    }

    /** A run's end committed alone (every end at concurrency 1; one statement on PostgreSQL). */
    @Test
    void anEndAloneStoresTheOutcomeCancelsChildrenAsTheirPolicySaysAndWakesTheParent() {
        String parent = started("node-a", LONG_LEASE);
        String ending = id();
        store.createRun(new NewRun(ending, "order", "{}", "node-a", LONG_LEASE, T0, null, 1, parent, 1, "abandon", 1));
        NewRun toCancel = new NewRun(id(), "order", "{}", "node-a", LONG_LEASE, T0, null, 1, ending, 1, "request_cancel", 2);
        NewRun toLeave = new NewRun(id(), "order", "{}", "node-a", LONG_LEASE, T0, null, 1, ending, 2, "abandon", 2);
        store.createRun(toCancel);
        store.createRun(toLeave);

        store.commit(Checkpoint.ending(ending, 1, new RunOutcome(WorkflowStatus.FAILED, null, failure(), T0, parent))).join();

        RunRecord ended = store.findRun(ending).orElseThrow();
        assertThat(ended.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(ended.failure()).isEqualTo(failure());
        assertThat(ended.completedAt()).isEqualTo(T0);
        assertThat(ended.owner()).isNull();
        assertThat(store.findRun(toCancel.id()).orElseThrow().cancelRequested()).isTrue();
        assertThat(store.findRun(toLeave.id()).orElseThrow().cancelRequested()).isFalse();
        assertThat(wakeRequested(parent)).isTrue();
    }

    @Test
    void anEndAloneUnderAStaleEpochChangesNeitherTheRunNorItsChildrenNorItsParent() {
        String parent = started("node-a", LONG_LEASE);
        String ending = id();
        store.createRun(new NewRun(ending, "order", "{}", "node-a", Duration.ZERO, T0, null, 1, parent, 1, "abandon", 1));
        NewRun child = new NewRun(id(), "order", "{}", "node-a", LONG_LEASE, T0, null, 1, ending, 1, "request_cancel", 2);
        store.createRun(child);
        store.claim(ending, "node-b", LONG_LEASE).orElseThrow();

        CompletableFuture<Void> stale = store.commit(Checkpoint.ending(ending, 1,
                new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0, parent)));

        assertThatThrownBy(stale::join).hasCauseInstanceOf(OwnershipLostException.class);
        assertThat(store.findRun(ending).orElseThrow().status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(store.findRun(child.id()).orElseThrow().cancelRequested()).isFalse();
        assertThat(wakeRequested(parent)).isFalse();
    }

    private boolean wakeRequested(String runId) {
        return schema.sql("select wake_requested from %PREFIX%run where id = :id").param("id", runId).query(Boolean.class).single();
    }

    @Test
    void runsAndJournalsAreReadManyAtATimeAsOneAtATime() {
        String withSteps = started("node-a", LONG_LEASE);
        String withoutSteps = started("node-a", LONG_LEASE);
        String missing = id();
        store.commit(new Checkpoint(withSteps, 1, List.of(completed(2, "2"), completed(1, "1")), null)).join();

        List<String> ids = List.of(withSteps, withoutSteps, missing);
        Map<String, RunRecord> runs = store.findRuns(ids);
        Map<String, List<JournalEntry>> journals = store.loadJournals(ids);

        assertThat(runs).containsOnlyKeys(withSteps, withoutSteps);
        assertThat(runs.get(withSteps)).isEqualTo(store.findRun(withSteps).orElseThrow());
        assertThat(journals.get(withSteps)).containsExactly(completed(1, "1"), completed(2, "2"));
        assertThat(journals.get(withoutSteps)).isEmpty();
        assertThat(journals.get(missing)).isEmpty();
        assertThat(store.findRuns(List.of())).isEmpty();
    }

    @Test
    void staleOutcomeDoesNotEndTheRun() {
        String id = started("node-a", Duration.ZERO);
        store.claim(id, "node-b", LONG_LEASE).orElseThrow();
        CompletableFuture<Void> stale = store.commit(Checkpoint.ending(id, 1, new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0)));
        assertThatThrownBy(stale::join).hasCauseInstanceOf(OwnershipLostException.class);
        RunRecord record = store.findRun(id).orElseThrow();
        assertThat(record.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(record.epoch()).isEqualTo(2);
    }

    /** A step committed alone (every step at concurrency 1; one statement of plain parameters on PostgreSQL). */
    @Test
    void aStepAloneUnderAStaleEpochOrForAMissingRunIsRefusedAndNotWritten() {
        String id = started("node-a", Duration.ZERO);
        store.claim(id, "node-b", LONG_LEASE).orElseThrow();
        CompletableFuture<Void> stale = store.commit(Checkpoint.of(id, 1, completed(1, "\"stale\"")));
        CompletableFuture<Void> missing = store.commit(Checkpoint.of(id(), 1, completed(1, "\"nobody\"")));

        assertThatThrownBy(stale::join).hasCauseInstanceOf(OwnershipLostException.class);
        assertThatThrownBy(missing::join).hasCauseInstanceOf(OwnershipLostException.class);
        assertThat(store.loadJournal(id)).isEmpty();
        store.commit(Checkpoint.of(id, 2, completed(1, "\"current\""))).join();
        assertThat(store.loadJournal(id)).containsExactly(completed(1, "\"current\""));
    }

    @Test
    void checkpointOfAnEndedRunIsRefused() {
        String id = started("node-a", LONG_LEASE);
        store.commit(Checkpoint.ending(id, 1, new RunOutcome(WorkflowStatus.CANCELLED, null, null, T0))).join();
        CompletableFuture<Void> late = store.commit(Checkpoint.of(id, 1, completed(1, "\"late\"")));
        assertThatThrownBy(late::join).hasCauseInstanceOf(OwnershipLostException.class);
        assertThat(store.loadJournal(id)).isEmpty();
    }

    @Test
    void claimRecoverableTakesOwnAndLapsedRunsButNotRunsOfAnotherLiveNode() {
        String type = type();
        String own = id();
        String lapsed = id();
        String released = id();
        String live = id();
        store.createRun(run(own, type, "node-a", LONG_LEASE));
        store.createRun(run(lapsed, type, "node-b", Duration.ZERO));
        store.createRun(run(released, type, "node-b", LONG_LEASE));
        store.release(released, 1);
        store.createRun(run(live, type, "node-b", LONG_LEASE));
        Instant restart = store.databaseTime();
        String ownSinceRestart = id();
        store.createRun(run(ownSinceRestart, type, "node-a", LONG_LEASE));

        List<RunClaim> claims = store.claimRecoverable("node-a", restart, List.of(type), LONG_LEASE, 10);

        assertThat(claims).extracting(RunClaim::runId).containsExactlyInAnyOrder(own, lapsed, released);
        assertThat(store.findRun(ownSinceRestart).orElseThrow().epoch()).as("a run the live engine drives is not fenced").isEqualTo(1);
        assertThat(claims).allSatisfy(claim -> {
            assertThat(claim.epoch()).isEqualTo(2);
            assertThat(claim.type()).isEqualTo(type);
            assertThat(claim.cancelRequested()).isFalse();
            RunRecord record = store.findRun(claim.runId()).orElseThrow();
            assertThat(record.owner()).isEqualTo("node-a");
            assertThat(record.epoch()).isEqualTo(2);
            assertThat(record.leaseExpiresAt()).isAfter(store.databaseTime().plus(LONG_LEASE).minusSeconds(60));
        });
        assertThat(store.findRun(live).orElseThrow().owner()).isEqualTo("node-b");
        assertThat(store.claimRecoverable("node-c", store.databaseTime(), List.of(type), LONG_LEASE, 10)).isEmpty();
    }

    @Test
    void claimRecoverableRespectsTypesLimitAndCreationOrder() {
        String type = type();
        String otherType = type();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = "run-" + i + "-" + UUID.randomUUID();
            ids.add(id);
            store.createRun(new NewRun(id, type, "{}", "node-b", Duration.ZERO, T0.plusSeconds(i)));
        }
        String other = id();
        store.createRun(run(other, otherType, "node-b", Duration.ZERO));

        assertThat(store.claimRecoverable("node-a", Instant.EPOCH, List.of(type), LONG_LEASE, 2)).extracting(RunClaim::runId)
                .containsExactly(ids.get(0), ids.get(1));
        assertThat(store.claimRecoverable("node-a", Instant.EPOCH, List.of(type), LONG_LEASE, 10)).extracting(RunClaim::runId)
                .as("the runs this incarnation claimed are not claimed again").containsExactly(ids.get(2), ids.get(3), ids.get(4));
        assertThat(store.claimRecoverable("node-a", Instant.EPOCH, List.of(), LONG_LEASE, 10)).isEmpty();
        assertThat(store.findRun(other).orElseThrow().owner()).isEqualTo("node-b");
        assertThat(store.findRun(ids.get(0)).orElseThrow().epoch()).isEqualTo(2);
    }

    @Test
    void claimRecoverableSkipsEndedRuns() {
        String type = type();
        String id = id();
        store.createRun(run(id, type, "node-a", LONG_LEASE));
        store.commit(Checkpoint.ending(id, 1, new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0))).join();
        assertThat(store.claimRecoverable("node-a", Instant.EPOCH, List.of(type), LONG_LEASE, 10)).isEmpty();
    }

    @Test
    void concurrentClaimersNeverClaimTheSameRun() throws Exception {
        String type = type();
        int runs = 80;
        for (int i = 0; i < runs; i++) {
            store.createRun(run(id(), type, "dead-node", Duration.ZERO));
        }
        List<JdbcWorkflowStore> nodes = List.of(newStore(CommitObserver.NONE), newStore(CommitObserver.NONE));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Set<String>>>> claimers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            for (int thread = 0; thread < 4; thread++) {
                JdbcWorkflowStore node = nodes.get(thread % 2);
                String name = "claimer-" + thread;
                claimers.add(threads.submit(() -> claimUntilNoneLeft(node, name, type, start)));
            }
            start.countDown();
            List<Set<String>> claims = new ArrayList<>();
            for (Future<List<Set<String>>> claimer : claimers) {
                claims.addAll(claimer.get(60, TimeUnit.SECONDS));
            }
            Set<String> all = new HashSet<>();
            for (Set<String> claim : claims) {
                for (String runId : claim) {
                    assertThat(all.add(runId)).as("%s claimed twice", runId).isTrue();
                }
            }
            assertThat(all).hasSize(runs);
        }
    }

    /**
     * Claims as a new node each time (a node re-claims its own runs by design), so that any run
     * claimed twice was taken from a live owner.
     */
    private static List<Set<String>> claimUntilNoneLeft(JdbcWorkflowStore store, String claimer, String type,
            CountDownLatch start) throws InterruptedException {
        start.await();
        List<Set<String>> claims = new ArrayList<>();
        for (int round = 0; ; round++) {
            List<RunClaim> claimed = store.claimRecoverable(claimer + "-" + round, Instant.EPOCH, List.of(type), LONG_LEASE, 3);
            if (claimed.isEmpty()) {
                return claims;
            }
            Set<String> ids = new HashSet<>();
            claimed.forEach(claim -> ids.add(claim.runId()));
            claims.add(ids);
        }
    }

    @Test
    void claimRecoverableSaysWhoHeldEachRunAndWhetherItWasParked() {
        String type = type();
        String lapsed = id();
        store.createRun(run(lapsed, type, "node-b", Duration.ZERO));
        String parked = id();
        store.createRun(run(parked, type, "node-b", LONG_LEASE));
        store.commit(Checkpoint.parking(parked, 1, List.of(), T0)).join();
        String signalled = id();
        store.createRun(run(signalled, type, "node-b", LONG_LEASE));
        store.commit(Checkpoint.parking(signalled, 1, List.of(), WorkflowStore.FAR_FUTURE)).join();
        store.sendSignal(new NewSignal(signalled, "approve", "true", null, T0));

        Map<String, RunClaim> claims = new HashMap<>();
        store.claimRecoverable("node-a", Instant.EPOCH, WorkflowStore.FAR_FUTURE, List.of(type), LONG_LEASE, 10)
                .forEach(claim -> claims.put(claim.runId(), claim));

        assertThat(claims).containsOnlyKeys(lapsed, parked, signalled);
        assertThat(claims.get(lapsed)).extracting(RunClaim::previousOwner, RunClaim::parked, RunClaim::wakeRequested)
                .containsExactly("node-b", false, false);
        assertThat(claims.get(parked)).extracting(RunClaim::previousOwner, RunClaim::parked, RunClaim::wakeRequested)
                .containsExactly(null, true, false);
        assertThat(claims.get(signalled)).extracting(RunClaim::previousOwner, RunClaim::parked, RunClaim::wakeRequested)
                .containsExactly(null, true, true);
    }

    @Test
    void claimTakesAnOwnUnownedOrLapsedRunButNotALiveOneOfAnotherNode() {
        String live = started("node-b", LONG_LEASE);
        assertThat(store.claim(live, "node-a", LONG_LEASE)).isEmpty();
        assertThat(store.claim(live, "node-b", LONG_LEASE)).contains(new RunClaim(live, "order", 2, false));

        String lapsed = started("node-b", Duration.ZERO);
        assertThat(store.claim(lapsed, "node-a", LONG_LEASE)).contains(new RunClaim(lapsed, "order", 2, false));
        assertThat(store.findRun(lapsed).orElseThrow().owner()).isEqualTo("node-a");

        assertThat(store.claim("missing-" + UUID.randomUUID(), "node-a", LONG_LEASE)).isEmpty();
        String ended = started("node-a", LONG_LEASE);
        store.commit(Checkpoint.ending(ended, 1, new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0))).join();
        assertThat(store.claim(ended, "node-a", LONG_LEASE)).isEmpty();
    }

    @Test
    void renewLeasesExtendsTheListedRunningRunsOfTheNode() {
        String type = type();
        String first = id();
        String second = id();
        String ended = id();
        String foreign = id();
        String node = "node-" + UUID.randomUUID();
        store.createRun(run(first, type, node, Duration.ZERO));
        store.createRun(run(second, type, node, Duration.ZERO));
        store.createRun(run(ended, type, node, Duration.ZERO));
        store.commit(Checkpoint.ending(ended, 1, new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0))).join();
        store.createRun(run(foreign, type, "node-b", Duration.ZERO));

        String notDriven = id();
        store.createRun(run(notDriven, type, node, Duration.ZERO));

        assertThat(store.renewLeases(node, List.of(first, second, ended, foreign), LONG_LEASE)).isEqualTo(2);
        assertThat(store.renewLeases(node, List.of(), LONG_LEASE)).isZero();

        Instant soon = store.databaseTime().plus(LONG_LEASE).minusSeconds(60);
        assertThat(store.findRun(first).orElseThrow().leaseExpiresAt()).isAfter(soon);
        assertThat(store.findRun(second).orElseThrow().leaseExpiresAt()).isAfter(soon);
        assertThat(store.findRun(foreign).orElseThrow().leaseExpiresAt()).isBefore(soon);
        assertThat(store.claimRecoverable("node-b", Instant.EPOCH, List.of(type), LONG_LEASE, 10)).extracting(RunClaim::runId)
                .containsExactlyInAnyOrder(foreign, notDriven);
    }

    @Test
    void releasedRunCanBeClaimedByAnotherNodeAtOnce() {
        String id = started("node-a", LONG_LEASE);
        store.release(id, 7);
        assertThat(store.findRun(id).orElseThrow().owner()).as("stale release changes nothing").isEqualTo("node-a");

        store.release(id, 1);
        RunRecord released = store.findRun(id).orElseThrow();
        assertThat(released.owner()).isNull();
        assertThat(released.leaseExpiresAt()).isNull();
        assertThat(store.claim(id, "node-b", LONG_LEASE)).contains(new RunClaim(id, "order", 2, false));
    }

    @Test
    void countRecoverableOfOtherTypesGroupsRunsByUnknownType() {
        String known = type();
        String unknown = type();
        String node = "node-" + UUID.randomUUID();
        store.createRun(run(id(), known, node, LONG_LEASE));
        store.createRun(run(id(), unknown, node, LONG_LEASE));
        store.createRun(run(id(), unknown, "node-b", Duration.ZERO));
        store.createRun(run(id(), unknown, "node-b", LONG_LEASE));

        Instant restart = store.databaseTime();

        Map<String, Long> counts = store.countRecoverableOfOtherTypes(node, restart, List.of(known));
        assertThat(counts).containsEntry(unknown, 2L).doesNotContainKey(known);
        assertThat(store.countRecoverableOfOtherTypes(node, restart, List.of())).containsEntry(unknown, 2L).containsEntry(known, 1L);
        assertThat(store.countRecoverableOfOtherTypes(node, Instant.EPOCH, List.of(known))).as("own runs of this incarnation")
                .containsEntry(unknown, 1L);
    }

    @Test
    void requestCancelMarksRunningRunsAndTellsEndedAndMissingOnes() {
        String node = "node-" + UUID.randomUUID();
        String running = started(node, LONG_LEASE);
        String ended = started(node, LONG_LEASE);
        store.commit(Checkpoint.ending(ended, 1, new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0))).join();

        assertThat(store.requestCancel(running)).isEqualTo(CancelRequest.REQUESTED);
        assertThat(store.requestCancel(ended)).isEqualTo(CancelRequest.ALREADY_FINISHED);
        assertThat(store.requestCancel("missing-" + UUID.randomUUID())).isEqualTo(CancelRequest.NOT_FOUND);

        assertThat(store.findCancelRequested(node)).containsExactly(running);
        assertThat(store.findRun(running).orElseThrow().cancelRequested()).isTrue();
        assertThat(store.claim(running, node, LONG_LEASE)).contains(new RunClaim(running, "order", 2, true));
    }

    @Test
    void groupCommitCoalescesConcurrentCheckpoints() throws Exception {
        HeldFirstBatch observer = new HeldFirstBatch();
        JdbcWorkflowStore counted = heldOneBatchAtATime(observer);
        int checkpoints = 200;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < checkpoints; i++) {
            ids.add(started("node-a", LONG_LEASE));
        }
        String warmUp = started("node-a", LONG_LEASE);
        List<CompletableFuture<Void>> done = new CopyOnWriteArrayList<>();
        whileTheFirstBatchIsHeld(observer, () -> counted.commit(Checkpoint.of(warmUp, 1, completed(1, "0"))).join(), ids,
                id -> {
                    CompletableFuture<Void> future = counted.commit(Checkpoint.of(id, 1, completed(1, "\"" + id + "\"")));
                    done.add(future);
                    future.join();
                });
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(observer.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(checkpoints + 1);
        assertThat(observer.batchSizes.size() - 1).isLessThan(checkpoints / 4);
        assertThat(store.loadJournal(ids.get(checkpoints - 1))).containsExactly(completed(1, "\"" + ids.get(checkpoints - 1) + "\""));
    }

    @Test
    void concurrentStartsShareTransactionsAndADuplicateIdIsRefusedAlone() throws Exception {
        HeldFirstBatch observer = new HeldFirstBatch();
        JdbcWorkflowStore counted = heldOneBatchAtATime(observer);
        String type = type();
        String existing = id();
        int starts = 200;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            ids.add(i == starts / 2 ? existing : id());
        }
        List<Throwable> refusals = new CopyOnWriteArrayList<>();
        whileTheFirstBatchIsHeld(observer, () -> counted.createRun(run(existing, type, "node-a", LONG_LEASE)), ids, id -> {
            try {
                counted.createRun(run(id, type, "node-a", LONG_LEASE));
            } catch (RuntimeException e) {
                refusals.add(e);
            }
        });

        assertThat(refusals).singleElement().isInstanceOf(WorkflowAlreadyExistsException.class)
                .satisfies(refusal -> assertThat(refusal.getMessage()).contains(existing, "still running"));
        assertThat(store.visibility().countRuns(new RunQuery(Set.of(), type, 0, 1))).isEqualTo(starts);
        // after the held batch (the first start), the 200 shared few commits
        assertThat(observer.batchSizes.size() - 1).as("starts shared commits").isLessThan(starts / 4);
    }

    @Test
    void closeWritesWhatIsQueuedAndRefusesLaterCommits() {
        JdbcWorkflowStore closing = newStore(CommitObserver.NONE);
        String id = started("node-a", LONG_LEASE);
        CompletableFuture<Void> queued = closing.commit(Checkpoint.of(id, 1, completed(1, "1")));
        closing.close();
        assertThat(queued).isCompleted();
        queued.join();
        assertThat(store.loadJournal(id)).hasSize(1);
        assertThatThrownBy(() -> closing.commit(Checkpoint.of(id, 1, completed(2, "2"))).join())
                .hasCauseInstanceOf(dev.weft.failure.StoreException.class);
    }

    @Test
    void schemaScriptAppliedAgainKeepsTablesAndRows() {
        String id = started("node-a", LONG_LEASE);
        schema.initializeAgain();
        schema.initializeAgain();
        assertThat(store.findRun(id)).isPresent();
    }

    @Test
    void instantsRoundTripToTheMicrosecondWhateverTheJvmZone() {
        TimeZone original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns"));
        try {
            Instant created = Instant.parse("2026-07-14T23:59:58.987654321Z");
            Instant due = Instant.parse("2026-12-31T23:30:00.000001Z");
            String id = id();
            store.createRun(new NewRun(id, "order", "{}", "node-a", LONG_LEASE, created));
            JournalEntry sleep = new JournalEntry(1, EntryKind.SLEEP, "sleep", EntryState.WAITING, null, null, 0, due, created);
            store.commit(Checkpoint.of(id, 1, sleep)).join();

            assertThat(store.findRun(id).orElseThrow().createdAt()).isEqualTo(created.truncatedTo(ChronoUnit.MICROS));
            JournalEntry loaded = store.loadJournal(id).getFirst();
            assertThat(loaded.dueAt()).isEqualTo(due);
            assertThat(loaded.scheduledAt()).isEqualTo(Instant.parse("2026-07-14T23:59:58.987654Z"));
            assertThat(store.databaseTime()).isCloseTo(Instant.now(), within(5, ChronoUnit.MINUTES));
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void databaseTimeIsTheDatabaseClockInUtc() {
        assertThat(store.databaseTime()).isCloseTo(Instant.now(), within(5, ChronoUnit.MINUTES));
    }

    /** Holds the flusher inside the first batch's notification until released. */
    @Test
    void listRunsFiltersByStatusAndTypeNewestFirstAndPages() {
        String type = type();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = "list-" + i + "-" + UUID.randomUUID();
            ids.add(id);
            store.createRun(new NewRun(id, type, "{}", "node-a", LONG_LEASE, T0.plusSeconds(i)));
        }
        store.commit(Checkpoint.ending(ids.get(1), 1, new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0))).join();
        store.commit(Checkpoint.ending(ids.get(3), 1, new RunOutcome(WorkflowStatus.FAILED, null, failure(), T0))).join();

        assertThat(store.visibility().listRuns(new RunQuery(Set.of(), type, 0, 10))).extracting(RunRecord::id)
                .containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        assertThat(store.visibility().listRuns(new RunQuery(Set.of(WorkflowStatus.RUNNING), type, 0, 10))).extracting(RunRecord::id)
                .containsExactly(ids.get(4), ids.get(2), ids.get(0));
        assertThat(store.visibility().listRuns(new RunQuery(Set.of(WorkflowStatus.COMPLETED, WorkflowStatus.FAILED), type, 0, 10)))
                .extracting(RunRecord::id).containsExactly(ids.get(3), ids.get(1));
        assertThat(store.visibility().listRuns(new RunQuery(Set.of(), type, 1, 2))).extracting(RunRecord::id).containsExactly(ids.get(3), ids.get(2));
        assertThat(store.visibility().countRuns(new RunQuery(Set.of(WorkflowStatus.RUNNING), type, 0, 1))).isEqualTo(3);
        assertThat(store.visibility().countRuns(new RunQuery(Set.of(), type(), 0, 1))).isZero();
        assertThat(store.visibility().listRuns(RunQuery.first(1000))).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void countByStatusAndOverdueRuns() {
        Map<WorkflowStatus, Long> before = store.visibility().countByStatus();
        long overdueBefore = store.visibility().countOverdue(Duration.ZERO);
        started("node-a", LONG_LEASE);
        started("dead-node", Duration.ZERO);
        String done = started("node-a", LONG_LEASE);
        store.commit(Checkpoint.ending(done, 1, new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0))).join();

        Map<WorkflowStatus, Long> after = store.visibility().countByStatus();
        assertThat(after.get(WorkflowStatus.RUNNING)).isEqualTo(before.getOrDefault(WorkflowStatus.RUNNING, 0L) + 2);
        assertThat(after.get(WorkflowStatus.COMPLETED)).isEqualTo(before.getOrDefault(WorkflowStatus.COMPLETED, 0L) + 1);
        assertThat(store.visibility().countOverdue(Duration.ZERO)).isEqualTo(overdueBefore + 1);
        assertThat(store.visibility().countOverdue(Duration.ofDays(1))).as("lapsed only just now").isLessThanOrEqualTo(overdueBefore);
    }

    @Test
    void deleteRunRemovesAFinishedRunWithItsJournalAndRefusesARunningOne() {
        String running = started("node-a", LONG_LEASE);
        String finished = started("node-a", LONG_LEASE);
        store.commit(new Checkpoint(finished, 1, List.of(completed(1, "\"x\"")),
                new RunOutcome(WorkflowStatus.COMPLETED, "1", null, T0))).join();

        assertThat(store.visibility().deleteRun(running)).isEqualTo(DeleteOutcome.STILL_RUNNING);
        assertThat(store.findRun(running)).isPresent();
        assertThat(store.visibility().deleteRun(finished)).isEqualTo(DeleteOutcome.DELETED);
        assertThat(store.findRun(finished)).isEmpty();
        assertThat(store.loadJournal(finished)).isEmpty();
        assertThat(store.visibility().deleteRun(finished)).isEqualTo(DeleteOutcome.NOT_FOUND);
    }

    @Test
    void resolvePendingAdoptsTheOutcomeOnceAndFlagsTheRunForItsOwner() {
        String node = "node-" + UUID.randomUUID();
        String id = id();
        store.createRun(run(id, "order", node, LONG_LEASE));
        JournalEntry pending = new JournalEntry(1, EntryKind.ACTIVITY, "approve", EntryState.PENDING, null, null, 2, null, T0);
        store.commit(Checkpoint.of(id, 1, pending)).join();

        assertThat(store.resolvePending(id, 1, 1, EntryState.COMPLETED, "\"stale\"", null)).as("another attempt").isFalse();
        assertThat(store.takeWakeRequests(node)).isEmpty();
        assertThat(store.resolvePending(id, 1, 2, EntryState.COMPLETED, "\"ok\"", null)).isTrue();
        assertThat(store.resolvePending(id, 1, 2, EntryState.COMPLETED, "\"again\"", null)).as("spent").isFalse();

        assertThat(store.findJournalEntry(id, 1)).hasValueSatisfying(entry -> {
            assertThat(entry.state()).isEqualTo(EntryState.COMPLETED);
            assertThat(entry.result()).isEqualTo("\"ok\"");
            assertThat(entry.attempt()).isEqualTo(2);
        });
        assertThat(store.takeWakeRequests(node)).containsExactly(id);
        assertThat(store.takeWakeRequests(node)).as("taken once").isEmpty();
        assertThat(store.findJournalEntry(id, 2)).isEmpty();
    }

    @Test
    void resolvePendingRecordsAnAttemptFailureAndRefusesEndedRuns() {
        String id = started("node-a", LONG_LEASE);
        store.commit(Checkpoint.of(id, 1, new JournalEntry(1, EntryKind.ACTIVITY, "approve", EntryState.PENDING, null, null, 1, null,
                T0))).join();

        assertThat(store.resolvePending(id, 1, 1, EntryState.ATTEMPT_FAILED, null, failure())).isTrue();
        assertThat(store.findJournalEntry(id, 1).orElseThrow().failure()).isEqualTo(failure());

        String ended = started("node-a", LONG_LEASE);
        store.commit(new Checkpoint(ended, 1, List.of(new JournalEntry(1, EntryKind.ACTIVITY, "approve", EntryState.PENDING, null,
                null, 1, null, T0)), new RunOutcome(WorkflowStatus.CANCELLED, null, null, T0))).join();
        assertThat(store.resolvePending(ended, 1, 1, EntryState.COMPLETED, "1", null)).isFalse();
        assertThat(store.findJournalEntry(ended, 1).orElseThrow().state()).isEqualTo(EntryState.PENDING);
        assertThat(store.resolvePending("missing-" + UUID.randomUUID(), 1, 1, EntryState.COMPLETED, "1", null)).isFalse();
    }

    /**
     * A store writing one batch at a time whose first batch {@code observer} holds after its commit:
     * what arrives meanwhile queues, as under load. Without it, a fast database lets each caller find
     * the store idle and write alone, as a lone checkpoint should.
     */
    private JdbcWorkflowStore heldOneBatchAtATime(HeldFirstBatch observer) {
        return newStore(JdbcWorkflowStore.builder(schema.dataSource()).observer(observer).concurrentBatches(1));
    }

    /**
     * Writes {@code firstWrite} on a thread of its own and, while its batch is held, runs {@code each}
     * for every item on a virtual thread of its own; releases the batch once all have begun, and
     * returns when all have ended.
     */
    private static <T> void whileTheFirstBatchIsHeld(HeldFirstBatch observer, Runnable firstWrite, List<T> items,
            java.util.function.Consumer<T> each) throws Exception {
        CompletableFuture<Void> first = CompletableFuture.runAsync(firstWrite);
        assertThat(observer.firstBatchCommitted.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch begun = new CountDownLatch(items.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                threads.submit(() -> {
                    begun.countDown();
                    each.accept(item);
                    return null;
                });
            }
            assertThat(begun.await(10, TimeUnit.SECONDS)).isTrue();
            observer.release.countDown();
        }
        first.get(10, TimeUnit.SECONDS);
    }

    private static final class HeldFirstBatch implements CommitObserver {

        final CountDownLatch firstBatchCommitted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        @Override
        public void onBatchCommitted(int checkpoints, Duration latency) {
            batchSizes.add(checkpoints);
            if (firstBatchCommitted.getCount() > 0) {
                firstBatchCommitted.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
