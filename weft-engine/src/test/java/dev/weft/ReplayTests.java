package dev.weft;

import dev.weft.failure.ActivityFailedException;
import dev.weft.failure.NonDeterministicWorkflowException;
import dev.weft.failure.NonRetryableException;
import dev.weft.failure.WorkflowFailedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A run taken up by a second engine replays its journal: completed steps return their recorded outcomes. */
class ReplayTests {

    private final EngineFixture fixture = EngineFixture.h2();
    private final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        fixture.close();
    }

    private ActivityDefinition<String, String> counted(String name) {
        return ActivityDefinition.of(name, String.class, String.class, (input, context) -> {
            calls.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            return name + "(" + input + ")";
        });
    }

    private ActivityDefinition<String, String> blockingAt(String name, Gate gate) {
        return ActivityDefinition.of(name, String.class, String.class, (input, context) -> {
            calls.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            gate.pass();
            return name + "(" + input + ")";
        });
    }

    private int callsOf(String name) {
        return calls.getOrDefault(name, new AtomicInteger()).get();
    }

    /**
     * Runs {@link #TWO_STEPS} under {@code runId} until its second step is under way, then stops the
     * engine, as a crash would leave it: the first step recorded, the second not. Open the returned
     * gate at the end of the test to let the abandoned attempt's thread go.
     */
    private Gate stopWhileTheSecondStepRuns(String runId) {
        Gate gate = new Gate();
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(TWO_STEPS).activity(counted("first"))
                .activity(blockingAt("second", gate)));
        crashed.start(TWO_STEPS, "x", StartOptions.withId(runId));
        gate.awaitArrival();
        crashed.close();
        return gate;
    }

    private static final WorkflowDefinition<String, String> TWO_STEPS = WorkflowDefinition.of("two-steps", String.class, String.class,
            (context, input) -> {
                String first = context.run("first", input, String.class);
                return context.run("second", first, String.class);
            });

    @Test
    void aRecoveredRunDoesNotRepeatCompletedActivities() {
        Gate gate = stopWhileTheSecondStepRuns("run-1");
        assertThat(fixture.journal("run-1")).as("the attempt interrupted by the shutdown is not recorded as a failure")
                .extracting(entry -> entry.name()).containsExactly("first");

        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(TWO_STEPS).activity(counted("first"))
                .activity(counted("second")));
        RecoveryReport report = recovered.recoverAll();

        assertThat(report.recovered()).containsExactly("run-1");
        assertThat(recovered.handle("run-1").result(Gate.patience())).isEqualTo("second(first(x))");
        assertThat(callsOf("first")).isEqualTo(1);
        assertThat(callsOf("second")).isEqualTo(2);
        gate.open();
    }

    @Test
    void aRecordedFailureIsReplayedWithoutRunningTheActivityAgain() {
        Gate gate = new Gate();
        WorkflowDefinition<String, String> recovering = WorkflowDefinition.of("recovering", String.class, String.class,
                (context, input) -> {
                    String fallback;
                    try {
                        fallback = context.run("flaky", input, String.class);
                    } catch (ActivityFailedException e) {
                        fallback = "caught " + e.failure().simpleType() + ": " + e.failure().message() + " after " + e.attempts();
                    }
                    return context.run("second", fallback, String.class);
                });
        ActivityDefinition<String, String> flaky = ActivityDefinition.of("flaky", String.class, String.class, (input, context) -> {
            calls.computeIfAbsent("flaky", key -> new AtomicInteger()).incrementAndGet();
            throw new NonRetryableException("card declined");
        });
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(recovering).activity(flaky).activity(blockingAt("second", gate)));
        crashed.start(recovering, "x", StartOptions.withId("run-2"));
        gate.awaitArrival();
        crashed.close();

        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(recovering).activity(flaky).activity(counted("second")));
        recovered.recoverAll();

        assertThat(recovered.handle("run-2").result(Gate.patience())).isEqualTo("second(caught NonRetryableException: card declined after 1)");
        assertThat(callsOf("flaky")).isEqualTo(1);
        gate.open();
    }

    @Test
    void aChangedActivityAtARecordedPositionFailsTheRunAsNonDeterministic() {
        Gate gate = stopWhileTheSecondStepRuns("run-3");

        WorkflowDefinition<String, String> changed = WorkflowDefinition.of("two-steps", String.class, String.class,
                (context, input) -> context.run("renamed", input, String.class));
        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(changed).activity(counted("renamed")));
        recovered.recoverAll();

        assertThatThrownBy(() -> recovered.handle("run-3").result(Gate.patience()))
                .isInstanceOfSatisfying(WorkflowFailedException.class, failed -> {
                    assertThat(failed.failure().code()).isEqualTo(NonDeterministicWorkflowException.CODE);
                    assertThat(failed.failure().message()).contains("position 1", "activity 'first'", "activity 'renamed'");
                });
        assertThat(callsOf("renamed")).isZero();
        gate.open();
    }

    @Test
    void catchingTheNonDeterminismErrorDoesNotLetTheRunComplete() {
        Gate gate = stopWhileTheSecondStepRuns("run-4");

        WorkflowDefinition<String, String> swallowing = WorkflowDefinition.of("two-steps", String.class, String.class,
                (context, input) -> {
                    try {
                        return context.run("other", input, String.class);
                    } catch (RuntimeException e) {
                        return "pretend all is well";
                    }
                });
        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(swallowing).activity(counted("other")));
        recovered.recoverAll();

        assertThatThrownBy(() -> recovered.handle("run-4").result(Gate.patience())).isInstanceOf(WorkflowFailedException.class);
        assertThat(recovered.handle("run-4").status()).isEqualTo(WorkflowStatus.FAILED);
        gate.open();
    }

    @Test
    void aWorkflowThatStopsShortOfItsJournalIsNonDeterministic() {
        Gate gate = stopWhileTheSecondStepRuns("run-5");
        // The second step never finished, so only the first is recorded; a workflow that now returns at once
        // skips a recorded step.
        WorkflowDefinition<String, String> shorter = WorkflowDefinition.of("two-steps", String.class, String.class,
                (context, input) -> "nothing to do");
        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(shorter));
        recovered.recoverAll();

        assertThatThrownBy(() -> recovered.handle("run-5").result(Gate.patience()))
                .isInstanceOfSatisfying(WorkflowFailedException.class, failed -> assertThat(failed.failure().message())
                        .contains("journal records 1 operations"));
        gate.open();
    }

    @Test
    void timeRandomnessAndMemosAreRecordedAndReplayed() {
        Gate gate = new Gate();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        WorkflowDefinition<String, String> deterministic = WorkflowDefinition.of("deterministic", String.class, String.class,
                (context, input) -> {
                    Instant now = context.now();
                    UUID id = context.randomUuid();
                    String memo = context.memo("token", String.class, () -> UUID.randomUUID().toString());
                    seen.add(now + "|" + id + "|" + memo);
                    return context.run("second", input, String.class);
                });
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(deterministic).activity(blockingAt("second", gate)));
        crashed.start(deterministic, "x", StartOptions.withId("run-6"));
        gate.awaitArrival();
        crashed.close();
        fixture.clock().advance(java.time.Duration.ofHours(1));

        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(deterministic).activity(counted("second")));
        recovered.recoverAll();
        recovered.handle("run-6").result(Gate.patience());

        assertThat(seen).hasSize(2);
        assertThat(seen.get(1)).isEqualTo(seen.get(0));
        assertThat(seen.get(0)).startsWith(EngineFixture.START.toString());
        assertThat(fixture.journal("run-6")).extracting(entry -> entry.kind())
                .containsExactly(EntryKind.VALUE, EntryKind.VALUE, EntryKind.ACTIVITY);
        gate.open();
    }

    @Test
    void theJournalRecordsEachStepOnceWithItsOutcome() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(TWO_STEPS).activity(counted("first")).activity(counted("second")));

        engine.start(TWO_STEPS, "in", StartOptions.withId("run-7")).result(Gate.patience());

        assertThat(fixture.journal("run-7")).satisfiesExactly(
                first -> {
                    assertThat(first.seq()).isEqualTo(1);
                    assertThat(first.name()).isEqualTo("first");
                    assertThat(first.state()).isEqualTo(EntryState.COMPLETED);
                    assertThat(first.result()).isEqualTo("\"first(in)\"");
                    assertThat(first.attempt()).isEqualTo(1);
                },
                second -> {
                    assertThat(second.seq()).isEqualTo(2);
                    assertThat(second.name()).isEqualTo("second");
                });
    }
}
