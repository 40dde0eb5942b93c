package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.activity.ActivityVerifier;
import dev.weft.activity.Reconciliation;
import dev.weft.store.ActivityRecord;
import dev.weft.store.Checkpoint;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.WorkflowStore;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.testing.TestDatabase;
import dev.weft.workflow.WorkflowDefinition;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A keyed step's completion waits for the run's next write: it travels with the next keyed step's
 * {@code started} record (one commit per keyed step) or with the run's end, and is written before
 * the run waits or runs a memo's code. A crash while it waits leaves the record {@code started},
 * and the verifier decides, as for a crash just after the effect.
 */
class HeldBackCompletionTests {

    private final AtomicInteger executions = new AtomicInteger();
    private final List<Checkpoint> committed = new CopyOnWriteArrayList<>();
    private EngineFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static ActivityOptions keyed(String key) {
        return ActivityOptions.builder().idempotencyKey(key).build();
    }

    private ActivityDefinition<String, String> echo() {
        return ActivityDefinition.of("echo", String.class, String.class, (input, context) -> {
            executions.incrementAndGet();
            return input + "!";
        });
    }

    /** Records every checkpoint the engine commits, then commits it. */
    private WorkflowStore recording(WorkflowStore store) {
        return (WorkflowStore) Proxy.newProxyInstance(WorkflowStore.class.getClassLoader(), new Class<?>[] {WorkflowStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit") && args.length == 1 && args[0] instanceof Checkpoint checkpoint) {
                        committed.add(checkpoint);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private WeftEngine engine(TestDatabase database, String node, WorkflowDefinition<String, String> workflow,
            ActivityDefinition<String, String> activity) {
        if (fixture == null) {
            fixture = new EngineFixture(database);
        }
        return fixture.engine(node, builder -> builder.store(recording(fixture.newStore())).workflow(workflow).activity(activity));
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void eachKeyedStepCostsOneCommitItsCompletionTravellingWithTheNextWrite(TestDatabase database) {
        WorkflowDefinition<String, String> three = WorkflowDefinition.of("three", String.class, String.class, (ctx, input) -> {
            String value = input;
            for (int i = 1; i <= 3; i++) {
                value = ctx.run("echo", value, String.class, keyed("step-" + i));
            }
            return value;
        });
        WeftEngine engine = engine(database, "a", three, echo());

        assertThat(engine.start("three", "x", StartOptions.withId("held")).result(Gate.patience())).isEqualTo("x!!!");

        List<Checkpoint> ofRun = committed.stream().filter(c -> c.runId().equals("held") && c.creates() == null).toList();
        assertThat(ofRun).extracting(HeldBackCompletionTests::shape).containsExactly(
                "records [started 1]",
                "entries [1 completed] records [completed 1, started 2]",
                "entries [2 completed] records [completed 2, started 3]",
                "entries [3 completed] records [completed 3] ends");
        assertThat(fixture.journal("held")).extracting(JournalEntry::state).containsExactly(EntryState.COMPLETED,
                EntryState.COMPLETED, EntryState.COMPLETED);
        assertThat(fixture.schema().sql("select count(*) from %PREFIX%activity_record where state = 'completed'")
                .query(Integer.class).single()).isEqualTo(3);
        assertThat(executions).hasValue(3);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aQueuedKeyedStepCompletesItsRecordSoTheSameKeyLaterReturnsItsResultWithoutRunning(TestDatabase database) {
        // a queued step's journal entry is written by the worker that ran it; its record is the run's to complete
        ActivityOptions queuedAndKeyed = ActivityOptions.builder().queue("pay").idempotencyKey("charge-once").build();
        WorkflowDefinition<String, String> twice = WorkflowDefinition.of("twice", String.class, String.class, (ctx, input) -> {
            String first = ctx.run("echo", input, String.class, queuedAndKeyed);
            String second = ctx.run("echo", input + "?", String.class, queuedAndKeyed);
            return first + "/" + second;
        });
        if (fixture == null) {
            fixture = new EngineFixture(database);
        }
        WeftEngine engine = fixture.engine("a", builder -> builder.workflow(twice).activity(echo())
                .queue("pay", dev.weft.queue.QueueOptions.concurrency(2)));

        assertThat(engine.start("twice", "x", StartOptions.withId("queued-keyed")).result(Gate.patience())).isEqualTo("x!/x!");
        assertThat(executions).hasValue(1);
        assertThat(fixture.schema().sql("select state from %PREFIX%activity_record").query(String.class).list())
                .containsExactly(ActivityRecord.State.COMPLETED.wireName());
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aQueuedKeyedStepIsVerifiedOnReplayWhenTheRunStoppedBeforeItsVerifierAnswerWasRecorded(TestDatabase database) {
        // the worker wrote the step's entry; the run stops before its completed record (the verifier's yes) is written
        ActivityOptions queuedAndKeyed = ActivityOptions.builder().queue("pay").idempotencyKey("charge-once").build();
        Gate betweenSteps = new Gate();
        AtomicBoolean firstExecution = new AtomicBoolean(true);
        WorkflowDefinition<String, String> pause = WorkflowDefinition.of("pause-queued", String.class, String.class, (ctx, input) -> {
            String charged = ctx.run("echo", input, String.class, queuedAndKeyed);
            if (firstExecution.getAndSet(false)) {
                // the first process stops here for good, the record's completion held back: it is killed
                betweenSteps.pass();
            }
            return charged;
        });
        AtomicBoolean rejectFirstAttempt = new AtomicBoolean();
        List<Integer> asked = new CopyOnWriteArrayList<>();
        ActivityVerifier<String, String> verifier = new ActivityVerifier<>() {
            @Override
            public Reconciliation reconcile(String input, dev.weft.activity.VerificationContext context) {
                return Reconciliation.indeterminate("not asked here");
            }

            @Override
            public boolean accept(String input, String result, dev.weft.activity.VerificationContext context) {
                asked.add(context.attempt());
                return context.attempt() > 1 || !rejectFirstAttempt.get();
            }
        };
        if (fixture == null) {
            fixture = new EngineFixture(database);
        }
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(pause).activity(echo().withVerifier(verifier))
                .queue("pay", dev.weft.queue.QueueOptions.concurrency(1)));
        crashed.start("pause-queued", "x", StartOptions.withId("reverify"));
        betweenSteps.awaitArrival();
        crashed.close();
        // the worker wrote the step's entry; the run's record of the verifier's yes never was
        assertThat(fixture.journal("reverify")).extracting(JournalEntry::state).containsExactly(EntryState.COMPLETED);
        assertThat(fixture.schema().sql("select state from %PREFIX%activity_record").query(String.class).list())
                .containsExactly(ActivityRecord.State.STARTED.wireName());
        rejectFirstAttempt.set(true);

        WorkflowHandle<Object> resumed = fixture.engine("b", builder -> builder.workflow(pause).activity(echo().withVerifier(verifier))
                .queue("pay", dev.weft.queue.QueueOptions.concurrency(1))).resume("reverify");
        // the rejected attempt is retried after the policy's backoff, on the engine's clock
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(java.time.Duration.ofSeconds(1));

        assertThat(resumed.result(Gate.patience())).isEqualTo("x!");
        // node a accepted attempt 1 but never recorded it; node b asked again, rejected it, and ran attempt 2
        assertThat(asked).containsExactly(1, 1, 2);
        assertThat(executions).hasValue(2);
        betweenSteps.open();
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aHeldBackCompletionIsWrittenBeforeTheRunWaits(TestDatabase database) {
        WorkflowDefinition<String, String> thenWait = WorkflowDefinition.of("then-wait", String.class, String.class, (ctx, input) -> {
            String charged = ctx.run("echo", input, String.class, keyed("charge"));
            return charged + ctx.awaitSignal("go", String.class);
        });
        WeftEngine engine = engine(database, "a", thenWait, echo());

        WorkflowHandle<Object> run = engine.start("then-wait", "x", StartOptions.withId("waits"));
        // the run now waits for its signal, for as long as it takes: the step must be in its journal meanwhile
        awaitCompletedSteps("waits", 1);
        run.signal("go", "?");

        assertThat(run.result(Gate.patience())).isEqualTo("x!?");
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aHeldBackCompletionIsWrittenBeforeAMemosCodeRuns(TestDatabase database) {
        AtomicReference<Optional<EntryState>> seenByMemo = new AtomicReference<>();
        AtomicReference<EngineFixture> fixtureRef = new AtomicReference<>();
        WorkflowDefinition<String, String> thenMemo = WorkflowDefinition.of("then-memo", String.class, String.class, (ctx, input) -> {
            String charged = ctx.run("echo", input, String.class, keyed("charge"));
            return ctx.memo("mail", String.class, () -> {
                // the memo's code may have effects: by now the step it follows is durable
                seenByMemo.set(fixtureRef.get().journal(ctx.workflowId()).stream().findFirst().map(JournalEntry::state));
                return charged + "@";
            });
        });
        WeftEngine engine = engine(database, "a", thenMemo, echo());
        fixtureRef.set(fixture);

        assertThat(engine.start("then-memo", "x", StartOptions.withId("memo")).result(Gate.patience())).isEqualTo("x!@");
        assertThat(seenByMemo.get()).contains(EntryState.COMPLETED);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aCrashWhileTheCompletionIsHeldBackIsReconciledByTheVerifier(TestDatabase database) {
        Gate betweenSteps = new Gate();
        AtomicBoolean firstExecution = new AtomicBoolean(true);
        WorkflowDefinition<String, String> pause = WorkflowDefinition.of("pause", String.class, String.class, (ctx, input) -> {
            String charged = ctx.run("echo", input, String.class, keyed("charge"));
            if (firstExecution.getAndSet(false)) {
                // the first process stops here for good, its charge's completion held back: it is killed
                betweenSteps.pass();
            }
            return ctx.run("echo", charged, String.class, keyed("ship"));
        });
        List<Integer> reconciledAttempts = new CopyOnWriteArrayList<>();
        ActivityVerifier<String, String> verifier = (input, context) -> {
            reconciledAttempts.add(context.attempt());
            return Reconciliation.completedWithResult(input + "!");
        };
        WeftEngine crashed = engine(database, "a", pause, echo().withVerifier(verifier));
        crashed.start("pause", "x", StartOptions.withId("crash"));
        betweenSteps.awaitArrival();
        crashed.close();
        assertThat(fixture.schema().sql("select state from %PREFIX%activity_record").query(String.class).list())
                .containsExactly(ActivityRecord.State.STARTED.wireName());

        WorkflowHandle<Object> resumed = engine(database, "b", pause, echo().withVerifier(verifier)).resume("crash");

        assertThat(resumed.result(Gate.patience())).isEqualTo("x!!");
        // the verifier adopted the charge: it ran once, the ship once
        assertThat(reconciledAttempts).containsExactly(1);
        assertThat(executions).hasValue(2);
        betweenSteps.open();
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aDrainWritesTheCompletionHeldBackBeforeHandingTheRunBack(TestDatabase database) {
        Gate betweenSteps = new Gate();
        WorkflowDefinition<String, String> pause = WorkflowDefinition.of("pause", String.class, String.class, (ctx, input) -> {
            String charged = ctx.run("echo", input, String.class, keyed("charge"));
            betweenSteps.pass();
            return charged;
        });
        WeftEngine draining = engine(database, "a", pause, echo());
        draining.start("pause", "x", StartOptions.withId("drained"));
        betweenSteps.awaitArrival();

        // a close with a grace period drains the run: the workflow's own code is not waited for, the completion is written
        draining.close(java.time.Duration.ofMillis(100));

        assertThat(fixture.schema().sql("select state from %PREFIX%activity_record").query(String.class).list())
                .containsExactly(ActivityRecord.State.COMPLETED.wireName());
        assertThat(fixture.journal("drained")).extracting(JournalEntry::state).containsExactly(EntryState.COMPLETED);
        betweenSteps.open();
    }

    private void awaitCompletedSteps(String runId, int count) {
        Awaitility.await().atMost(Gate.patience())
                .until(() -> fixture.journal(runId).stream().filter(entry -> entry.state() == EntryState.COMPLETED).count() == count);
    }

    private static String shape(Checkpoint checkpoint) {
        StringBuilder shape = new StringBuilder();
        if (!checkpoint.entries().isEmpty()) {
            shape.append("entries ").append(checkpoint.entries().stream().map(e -> e.seq() + " " + e.state().name().toLowerCase())
                    .toList()).append(' ');
        }
        if (!checkpoint.records().isEmpty()) {
            shape.append("records ").append(checkpoint.records().stream().map(r -> r.state().wireName() + " " + r.seq()).toList())
                    .append(' ');
        }
        if (checkpoint.outcome() != null) {
            shape.append("ends ");
        }
        return shape.toString().trim();
    }
}
