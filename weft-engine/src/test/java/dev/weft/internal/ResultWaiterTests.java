package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WorkflowStatus;
import dev.weft.failure.ResultTimeoutException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.payload.JacksonPayloadSerializer;
import dev.weft.store.Checkpoint;
import dev.weft.store.NewRun;
import dev.weft.store.RunOutcome;
import dev.weft.store.WorkflowStore;
import dev.weft.testing.EngineFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Waiting for results: from a local execution's end, else from the store. The waiter has no clock
 * of its own to move: the caller's timeout is real time, and the store is read again and again.
 */
class ResultWaiterTests {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final EngineFixture fixture = EngineFixture.h2();
    private final WorkflowStore store = fixture.newStore();
    private final ResultWaiter waiter = new ResultWaiter(store, JacksonPayloadSerializer.withDefaults());

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aRunThatEndsElsewhereWhileTheCallerWaitsIsReadFromTheStore() {
        long epoch = createRun("elsewhere");
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> waiter.await("elsewhere", String.class, null, PATIENCE));

        store.commit(Checkpoint.ending("elsewhere", epoch, new RunOutcome(WorkflowStatus.COMPLETED, "\"done\"", null, EngineFixture.START)))
                .join();

        assertThat(result.join()).isEqualTo("done");
    }

    @Test
    void aRunThatHasNotEndedInTimeGivesUpWithoutAnyClockMoving() {
        createRun("slow");

        assertThatThrownBy(() -> waiter.await("slow", String.class, null, Duration.ofMillis(50)))
                .isInstanceOf(ResultTimeoutException.class);
        assertThat(fixture.clock().pendingTimers()).isZero();
    }

    @Test
    void aLocalExecutionThatFinishedGivesItsResultWithoutReadingTheStore() {
        CompletableFuture<RunEnd> localEnd = CompletableFuture.completedFuture(
                new RunEnd.Finished(WorkflowStatus.COMPLETED, "\"local\"", null));

        // no run of that id is stored: a store read would fail
        assertThat(waiter.await("only-here", String.class, localEnd, PATIENCE)).isEqualTo("local");
    }

    @Test
    void aLocalExecutionThatParkedLeavesTheResultToTheStore() {
        long epoch = createRun("parked");
        CompletableFuture<RunEnd> localEnd = new CompletableFuture<>();
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> waiter.await("parked", String.class, localEnd, PATIENCE));

        localEnd.complete(new RunEnd.Parked(Instant.parse("2030-01-01T00:00:00Z")));
        store.commit(Checkpoint.ending("parked", epoch, new RunOutcome(WorkflowStatus.COMPLETED, "\"woken\"", null, EngineFixture.START)))
                .join();

        assertThat(result.join()).isEqualTo("woken");
    }

    @Test
    void aMissingRunIsNotFound() {
        assertThatThrownBy(() -> waiter.await("missing", String.class, null, PATIENCE)).isInstanceOf(WorkflowNotFoundException.class);
    }

    private long createRun(String id) {
        return store.createRun(new NewRun(id, "some-type", "null", "node-1", Duration.ofSeconds(30), EngineFixture.START));
    }
}
