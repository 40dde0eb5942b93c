package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.testing.LogCapture;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the engine writes to its log categories, read back from a logback appender. */
class EngineLogTests {

    private final EngineFixture fixture = EngineFixture.h2();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static WorkflowDefinition<String, String> callingStep(String type) {
        return WorkflowDefinition.of(type, String.class, String.class, (context, input) -> context.run("step", input, String.class));
    }

    private static ActivityDefinition<String, String> step(Gate gate) {
        return ActivityDefinition.of("step", String.class, String.class, (input, context) -> {
            gate.pass();
            return "done " + input;
        });
    }

    @Test
    void aFailedRunIsAWarningWithItsError() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(WorkflowDefinition.of("pay", String.class, String.class,
                (context, input) -> {
                    throw new IllegalStateException("card expired for " + input);
                })));
        try (LogCapture runs = LogCapture.of(LogCategories.RUNS, Level.INFO)) {
            WorkflowHandle<Object> handle = engine.start("pay", "ada", StartOptions.withId("pay-1"));
            assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOf(WorkflowFailedException.class);

            assertThat(runs.messages(Level.WARN)).singleElement().asString()
                    .startsWith("Run pay-1 (pay) failed: java.lang.IllegalStateException: card expired for ada")
                    .contains("at dev.weft.EngineLogTests");
        }
    }

    @Test
    void aCancelledRunIsAWarning() {
        Gate gate = new Gate();
        WeftEngine engine = fixture.engine(builder -> builder.workflow(callingStep("billing")).activity(step(gate)));
        try (LogCapture runs = LogCapture.of(LogCategories.RUNS, Level.INFO)) {
            WorkflowHandle<Object> handle = engine.start("billing", "x", StartOptions.withId("bill-9"));
            gate.awaitArrival();
            handle.cancel();
            gate.open();
            org.awaitility.Awaitility.await().until(() -> handle.status() == WorkflowStatus.CANCELLED);

            assertThat(runs.messages(Level.WARN)).containsExactly("Run bill-9 (billing) was cancelled");
        }
    }

    @Test
    void aScheduledRetryIsAnInfoLineWithTheAttemptAndTheBackoff() {
        AtomicInteger calls = new AtomicInteger();
        WeftEngine engine = fixture.engine(builder -> builder.workflow(callingStep("pay"))
                .activity(ActivityDefinition.of("step", String.class, String.class, (input, context) -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("gateway down");
                    }
                    return "paid";
                })));
        try (LogCapture activities = LogCapture.of(LogCategories.ACTIVITIES, Level.INFO)) {
            WorkflowHandle<Object> handle = engine.start("pay", "x", StartOptions.withId("pay-2"));
            fixture.awaitPendingTimers(1);
            fixture.clock().advance(Duration.ofSeconds(1));

            assertThat(handle.result(Gate.patience())).isEqualTo("paid");
            assertThat(activities.messages(Level.INFO)).containsExactly("Activity step (position 1) of run pay-2 failed on attempt 1: "
                    + "java.lang.IllegalStateException: gateway down; attempt 2 in PT1S");
        }
    }

    @Test
    void runsAdoptedFromANodeWhoseLeaseLapsedAreCountedInOneLine() {
        leaveRunning("a", "bill-1", "bill-2", "bill-3");
        fixture.schema().sql("update %PREFIX%run set owner = 'a', lease_expires_at = current_timestamp - interval '1' minute").update();
        Gate open = new Gate();
        open.open();
        WeftEngine adopter = fixture.engine("c", builder -> builder.workflow(callingStep("billing")).activity(step(open)));

        try (LogCapture runs = LogCapture.of(LogCategories.RUNS, Level.INFO)) {
            assertThat(adopter.recoverAll().recovered()).hasSize(3);

            assertThat(runs.messages(Level.INFO)).containsExactly("Node c adopted 3 runs from node a whose lease lapsed");
        }
    }

    @Test
    void runsTakenUpAfterARestartAreCountedInOneLine() {
        leaveRunning("same-node", "bill-1", "bill-2");
        fixture.schema().sql("update %PREFIX%run set owner = 'same-node', lease_expires_at = current_timestamp + interval '1' hour")
                .update();
        Gate open = new Gate();
        open.open();
        WeftEngine restarted = fixture.engine("same-node", builder -> builder.workflow(callingStep("billing")).activity(step(open)));

        try (LogCapture runs = LogCapture.of(LogCategories.RUNS, Level.INFO)) {
            assertThat(restarted.recoverAll().recovered()).hasSize(2);

            assertThat(runs.messages(Level.INFO)).containsExactly("Node same-node took up 2 of its runs after a restart");
        }
    }

    @Test
    void developmentModeWarnsWhenAWorkflowCompletesWithoutAnyDurableOperationNamingItsMethod() {
        WorkflowDefinition<String, String> selfInvoking = WorkflowDefinition.of("orders", String.class, String.class,
                (context, input) -> "charged " + input).withOrigin("com.example.Orders.process(String)");
        WeftEngine engine = fixture.engine(builder -> builder.workflow(selfInvoking).developmentMode(true));
        try (LogCapture log = LogCapture.of(LogCategories.ENGINE, Level.INFO)) {
            assertThat(engine.start("orders", "x", StartOptions.withId("o-1")).result(Gate.patience())).isEqualTo("charged x");

            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .startsWith("Development mode, run o-1: Workflow 'orders' (com.example.Orders.process(String)) completed without "
                            + "any durable operation")
                    .contains("self-invocation");
            assertThat(fixture.events(EngineEvent.DevelopmentWarning.class)).singleElement()
                    .satisfies(warning -> assertThat(warning.message()).contains("com.example.Orders.process(String)"));
        }
    }

    @Test
    void aWorkflowWithADurableOperationOrOutsideDevelopmentModeGetsNoSuchWarning() {
        Gate open = new Gate();
        open.open();
        WeftEngine development = fixture.engine("dev", builder -> builder.workflow(callingStep("billing")).activity(step(open))
                .developmentMode(true));
        WeftEngine production = fixture.engine("prod", builder -> builder.workflow(WorkflowDefinition.of("orders", String.class,
                String.class, (context, input) -> "charged " + input)));
        try (LogCapture log = LogCapture.of(LogCategories.ENGINE, Level.INFO)) {
            assertThat(development.start("billing", "x").result(Gate.patience())).isEqualTo("done x");
            assertThat(production.start("orders", "x").result(Gate.patience())).isEqualTo("charged x");

            assertThat(log.messages(Level.WARN)).isEmpty();
            assertThat(fixture.events(EngineEvent.DevelopmentWarning.class)).isEmpty();
        }
    }

    /** Leaves runs of type billing unfinished: the node stops while their step is in flight. */
    private void leaveRunning(String nodeId, String... ids) {
        Gate gate = new Gate();
        WeftEngine crashed = fixture.engine(nodeId, builder -> builder.workflow(callingStep("billing")).activity(step(gate)));
        for (String id : ids) {
            crashed.start("billing", id, StartOptions.withId(id));
        }
        gate.awaitArrival();
        crashed.close();
        gate.open();
    }
}
