package dev.weft.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.store.Checkpoint;
import dev.weft.store.ClaimedTask;
import dev.weft.store.EagerClaim;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.NewTask;
import dev.weft.store.QueueSettings;
import dev.weft.store.TaskOutcome;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Claims offered with a task as it is enqueued, on every database: taken only for a plain queue
 * (its row there and lockable, no pause, limit or fairness, nothing waiting), decided in the
 * enqueuing transaction; a taken claim is a claim like any other, claimed again once it expired.
 */
class EagerClaimTests {

    private static final String QUEUE = "eager";
    private static final Duration VISIBILITY = Duration.ofSeconds(30);
    private static final Instant NOW = EngineFixture.START;

    private EngineFixture fixture;
    private JdbcWorkflowStore store;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void open(TestDatabase database) {
        fixture = new EngineFixture(database);
        store = fixture.newStore();
    }

    /** Creates a run and enqueues its first step with a claim offered by node "a"; returns the offer. */
    private EagerClaim enqueueOffering() {
        return enqueue(true).eagerClaim();
    }

    private NewTask enqueue(boolean offering) {
        return enqueueAt(NOW, offering);
    }

    private NewTask enqueueAt(Instant at, boolean offering) {
        String runId = "run-" + UUID.randomUUID();
        store.commit(Checkpoint.creating(new NewRun(runId, "flow", "{}", "a", Duration.ofHours(1), at))).join();
        NewTask task = new NewTask(runId, 1, 1, QUEUE, "echo", "\"x\"", 0, null, VISIBILITY, at);
        if (offering) {
            task = task.withEagerClaim(new EagerClaim(UUID.randomUUID().toString(), "a", at.plus(VISIBILITY)));
        }
        JournalEntry queued = JournalEntry.activityQueued(1, "echo", 1, at);
        store.commit(Checkpoint.enqueuing(runId, 1, queued, task)).join();
        return task;
    }

    private int unclaimedTasks() {
        return fixture.schema().sql("select count(*) from %PREFIX%task where claim_token is null").query(Integer.class).single();
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aPlainQueueTakesTheOfferAndTheTaskIsClaimedAgainOnceTheClaimExpired(TestDatabase database) {
        open(database);
        store.tasks().configure(QUEUE, QueueSettings.NONE);

        EagerClaim offer = enqueueOffering();

        assertThat(offer.taken()).isTrue();
        ClaimedTask eager = store.tasks().claimed(offer.token()).orElseThrow();
        assertThat(eager.claims()).isEqualTo(1);
        assertThat(eager.expiresAt()).isEqualTo(NOW.plus(VISIBILITY));
        assertThat(store.tasks().claim(QUEUE, "b", 10, NOW.plus(VISIBILITY).minusMillis(1))).as("claimed while alive").isEmpty();
        // the node that took it died: nobody extended the claim
        ClaimedTask again = store.tasks().claim(QUEUE, "b", 10, NOW.plus(VISIBILITY)).getFirst();
        assertThat(again.claims()).isEqualTo(2);
        assertThat(store.tasks().complete(TaskOutcome.completed(eager, "\"late\""))).as("the dead node's late outcome").isFalse();
        assertThat(store.tasks().complete(TaskOutcome.completed(again, "\"done\""))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aPausedQueueRefusesTheOfferAndKeepsTheTaskWaiting(TestDatabase database) {
        open(database);
        store.tasks().configure(QUEUE, QueueSettings.NONE);
        store.tasks().setPaused(QUEUE, true);

        EagerClaim offer = enqueueOffering();

        assertThat(offer.taken()).isFalse();
        assertThat(store.tasks().claimed(offer.token())).isEmpty();
        assertThat(unclaimedTasks()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aQueueWithAClusterWideLimitOrFairnessRefusesTheOffer(TestDatabase database) {
        open(database);
        for (QueueSettings settings : List.of(new QueueSettings(5, null, null, false),
                new QueueSettings(null, 10, Duration.ofSeconds(1), false), new QueueSettings(null, null, null, true))) {
            store.tasks().configure(QUEUE, settings);

            assertThat(enqueueOffering().taken()).as("offer under %s", settings).isFalse();
        }
        assertThat(unclaimedTasks()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aQueueWithoutARowOrWithATaskWaitingRefusesTheOffer(TestDatabase database) {
        open(database);
        assertThat(enqueueOffering().taken()).as("no row for the queue").isFalse();

        store.tasks().configure(QUEUE, QueueSettings.NONE);

        assertThat(enqueueOffering().taken()).as("the first task waits").isFalse();
        assertThat(store.tasks().claim(QUEUE, "b", 10, NOW)).hasSize(2);
        assertThat(enqueueOffering().taken()).as("nothing waits any more").isTrue();
    }

    /** A task whose claim lapsed (its worker died) is no waiting task: an offer is taken past it, and the next claim takes it. */
    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aTaskWhoseClaimLapsedDoesNotStopAnOfferAndTheNextClaimTakesIt(TestDatabase database) {
        open(database);
        store.tasks().configure(QUEUE, QueueSettings.NONE);
        NewTask first = enqueue(true);
        assertThat(first.eagerClaim().taken()).isTrue();

        // enqueued when the first task's claim has lapsed: its node died, nobody extended it
        NewTask later = enqueueAt(NOW.plus(VISIBILITY), true);

        assertThat(later.eagerClaim().taken()).as("offer past a lapsed claim").isTrue();
        List<ClaimedTask> claimed = store.tasks().claim(QUEUE, "b", 10, NOW.plus(VISIBILITY));
        assertThat(claimed).as("the lapsed task, not the later one, whose claim is alive").hasSize(1);
        assertThat(claimed.getFirst().runId()).isEqualTo(first.runId());
        assertThat(claimed.getFirst().claims()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aDeclaredQueueTakesTheOfferAndDeclaringAgainKeepsItsSettings(TestDatabase database) {
        open(database);
        // a queue served only by remote workers has no row until their dispatcher declares it
        store.tasks().declare(QUEUE);

        assertThat(enqueueOffering().taken()).isTrue();

        store.tasks().setPaused(QUEUE, true);
        store.tasks().configure(QUEUE, new QueueSettings(5, null, null, false));
        store.tasks().declare(QUEUE);
        assertThat(enqueueOffering().taken()).as("still paused and limited").isFalse();
        assertThat(store.tasks().queues(NOW)).filteredOn(queue -> queue.name().equals(QUEUE)).singleElement()
                .satisfies(queue -> {
                    assertThat(queue.paused()).isTrue();
                    assertThat(queue.settings().maxInFlight()).isEqualTo(5);
                });
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aQueueRowBeingChangedRefusesTheOfferWithoutWaiting(TestDatabase database) throws Exception {
        open(database);
        store.tasks().configure(QUEUE, QueueSettings.NONE);
        try (Connection operator = fixture.schema().dataSource().getConnection()) {
            operator.setAutoCommit(false);
            // another node's pause, not committed yet: it may commit after the enqueue, so the enqueue claims nothing
            try (PreparedStatement pause = operator.prepareStatement(
                    "update " + fixture.schema().tablePrefix() + "task_queue set paused = paused where name = ?")) {
                pause.setString(1, QUEUE);
                pause.executeUpdate();
            }

            assertThat(enqueueOffering().taken()).isFalse();

            operator.rollback();
        }
        assertThat(store.tasks().claim(QUEUE, "b", 10, NOW)).as("the task written unclaimed").hasSize(1);
        assertThat(enqueueOffering().taken()).as("once the change is over").isTrue();
    }
}
