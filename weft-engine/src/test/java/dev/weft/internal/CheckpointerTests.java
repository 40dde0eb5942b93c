package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.weft.LogCategories;
import dev.weft.failure.CheckpointRejectedException;
import dev.weft.failure.OwnershipLostException;
import dev.weft.failure.StoreException;
import dev.weft.store.Checkpoint;
import dev.weft.store.EntryKind;
import dev.weft.store.JournalEntry;
import dev.weft.store.WorkflowStore;
import dev.weft.testing.LogCapture;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A checkpoint waits out a database that is briefly away, and gives its run up when it cannot be written. */
class CheckpointerTests {

    private static final Checkpoint CHECKPOINT = Checkpoint.of("run-1", 1, JournalEntry.completed(1, EntryKind.VALUE, "now", "1"));

    private final AtomicInteger commits = new AtomicInteger();
    private final Deque<RuntimeException> failures = new ArrayDeque<>();

    /** A store that answers only commits: with the queued failures first, then successfully. */
    private WorkflowStore store() {
        return (WorkflowStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {WorkflowStore.class},
                (proxy, method, arguments) -> {
                    if (!method.getName().equals("commit")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    commits.incrementAndGet();
                    RuntimeException failure = failures.poll();
                    return failure == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(failure);
                });
    }

    @Test
    void aCheckpointIsRetriedUntilTheDatabaseIsBack() {
        failures.add(new StoreException("away"));
        failures.add(new StoreException("still away"));

        try (LogCapture log = LogCapture.of(LogCategories.STORE, Level.INFO)) {
            new Checkpointer(store()).commit(CHECKPOINT);

            assertThat(log.messages(Level.WARN)).containsExactly("Checkpoint of run run-1 failed; retrying in PT0.05S",
                    "Checkpoint of run run-1 failed; retrying in PT0.1S");
        }
        assertThat(commits).hasValue(3);
    }

    @Test
    void aLostRunIsGivenUpAtOnce() {
        failures.add(new OwnershipLostException("taken over"));

        try (LogCapture log = LogCapture.of(LogCategories.RUNS, Level.INFO)) {
            assertThatThrownBy(() -> new Checkpointer(store()).commit(CHECKPOINT)).isInstanceOf(AbandonRun.class)
                    .hasCauseInstanceOf(OwnershipLostException.class);

            assertThat(log.messages(Level.ERROR)).singleElement().asString()
                    .startsWith("Checkpoint of run run-1 was refused: another node took the run over (epoch 1 is stale)");
        }
        assertThat(commits).hasValue(1);
    }

    @Test
    void aClosedCheckpointerGivesTheRunUpInsteadOfWaitingForTheDatabase() {
        Checkpointer checkpointer = new Checkpointer(store());
        checkpointer.close();
        failures.add(new StoreException("away"));

        assertThatThrownBy(() -> checkpointer.commit(CHECKPOINT)).isInstanceOf(AbandonRun.class)
                .hasCauseInstanceOf(StoreException.class);
        assertThat(commits).hasValue(1);
    }
    @Test
    void aCheckpointTheDatabaseRefusedForGoodIsNotRetriedAndGivesTheRunUpWithTheReason() {
        failures.add(new CheckpointRejectedException("The database refused the checkpoint of run 'run-1' (SQLState 22021: NUL)",
                "22021", null));

        try (LogCapture log = LogCapture.of(LogCategories.RUNS, Level.INFO)) {
            assertThatThrownBy(() -> new Checkpointer(store()).commit(CHECKPOINT)).isInstanceOf(AbandonRun.class)
                    .hasCauseInstanceOf(CheckpointRejectedException.class);

            assertThat(log.messages(Level.ERROR)).singleElement().asString()
                    .startsWith("Checkpoint of run run-1 was refused by the database for good; the run fails")
                    .contains("SQLState 22021");
        }
        assertThat(commits).hasValue(1);
    }
}
