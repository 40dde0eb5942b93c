package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GracefulCloseAndClientTests {

    private final EngineFixture fixture = EngineFixture.h2();
    private final Gate gate = new Gate();
    private final AtomicInteger secondStepCalls = new AtomicInteger();

    private final ActivityDefinition<String, String> slow = ActivityDefinition.of("slow", String.class, String.class, (input, context) -> {
        gate.pass();
        return "slow:" + input;
    });

    private final ActivityDefinition<String, String> quick = ActivityDefinition.of("quick", String.class, String.class, (input, context) -> {
        secondStepCalls.incrementAndGet();
        return "quick:" + input;
    });

    private final WorkflowDefinition<String, String> twoSteps = WorkflowDefinition.of("two-steps", String.class, String.class,
            (context, input) -> context.run("quick", context.run("slow", input, String.class), String.class));

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void closeWithAGracePeriodLetsTheAttemptInFlightRecordItsOutcomeAndStartsNoNewOne() throws Exception {
        WeftEngine engine = fixture.engine("draining", builder -> builder.workflow(twoSteps).activity(slow).activity(quick));
        engine.start(twoSteps, "a", StartOptions.withId("drained"));
        gate.awaitArrival();

        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> closing = executor.submit(() -> engine.close(Duration.ofSeconds(10)));
            // Once the engine has stopped taking work it is draining: it cannot finish while the attempt is held.
            org.awaitility.Awaitility.await().until(engine::isPaused);
            assertThat(closing).isNotDone();
            gate.open();
            closing.get();
        }

        assertThat(fixture.journal("drained")).singleElement().satisfies(entry -> {
            assertThat(entry.name()).isEqualTo("slow");
            assertThat(entry.state()).isEqualTo(EntryState.COMPLETED);
        });
        assertThat(secondStepCalls).hasValue(0);
        WeftEngine successor = fixture.engine("successor", builder -> builder.workflow(twoSteps).activity(slow).activity(quick));
        assertThat(successor.recoverAll().recovered()).containsExactly("drained");
        assertThat(successor.handle("drained", String.class).result(Gate.patience())).isEqualTo("quick:slow:a");
    }

    @Test
    void aPausedEngineHandsItsRunsBackAndTakesThemUpAgainOnceUnpaused() {
        WeftEngine engine = fixture.engine("pausing", builder -> builder.workflow(twoSteps).activity(slow).activity(quick));
        engine.start(twoSteps, "c", StartOptions.withId("paused-run"));
        gate.awaitArrival();

        engine.pause(Duration.ZERO);

        assertThat(engine.isPaused()).isTrue();
        org.awaitility.Awaitility.await().until(() -> engine.activeRunCount() == 0);
        assertThat(fixture.journal("paused-run")).isEmpty();
        gate.open();
        engine.unpause();
        assertThat(engine.recoverAll().recovered()).containsExactly("paused-run");
        assertThat(engine.handle("paused-run", String.class).result(Gate.patience())).isEqualTo("quick:slow:c");
    }

    @Test
    void closeWithAGracePeriodGivesUpOnAttemptsThatOutlastIt() {
        WeftEngine engine = fixture.engine("impatient", builder -> builder.workflow(twoSteps).activity(slow).activity(quick));
        engine.start(twoSteps, "b", StartOptions.withId("outlasting"));
        gate.awaitArrival();

        engine.close(Duration.ofMillis(100));

        assertThat(fixture.journal("outlasting")).isEmpty();
        WeftEngine successor = fixture.engine("successor", builder -> builder.workflow(twoSteps).activity(slow).activity(quick));
        gate.open();
        assertThat(successor.recoverAll().recovered()).containsExactly("outlasting");
        assertThat(successor.handle("outlasting", String.class).result(Gate.patience())).isEqualTo("quick:slow:b");
    }

    @Test
    void aClientOnlyEngineStartsRunsThatAWorkerAdopts() {
        gate.open();
        WeftEngine client = fixture.engine("client", builder -> builder.worker(false).workflow(twoSteps));

        WorkflowHandle<String> handle = client.start(twoSteps, "c", StartOptions.withId("from-client"));

        assertThat(client.isWorker()).isFalse();
        assertThat(client.activeRunCount()).isZero();
        assertThat(client.recoverAll().recovered()).isEmpty();
        assertThatThrownBy(() -> client.resume("from-client")).isInstanceOf(IllegalStateException.class);
        assertThat(handle.status()).isEqualTo(WorkflowStatus.RUNNING);
        WeftEngine worker = fixture.engine("worker", builder -> builder.workflow(twoSteps).activity(slow).activity(quick));
        assertThat(worker.recoverAll().recovered()).containsExactly("from-client");
        assertThat(handle.result(Gate.patience())).isEqualTo("quick:slow:c");
        assertThat(fixture.journal("from-client")).extracting(JournalEntry::name).containsExactly("slow", "quick");
    }
}
