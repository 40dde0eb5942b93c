package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.activity.ActivityVerifier;
import dev.weft.activity.Reconciliation;
import dev.weft.activity.VerificationContext;
import dev.weft.failure.OwnershipLostException;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.store.ActivityRecord;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.testing.KeyDigests;
import dev.weft.testing.TestDatabase;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Keyed activities on every database: the reconciliation record written before each dispatch and
 * completed as soon as an attempt returns; a crash in the middle of an attempt (played by closing
 * the engine while the activity runs, then resuming the run on another) reconciled by each answer
 * of the verifier, or failed closed; post-execution verification; the record fenced by the epoch.
 */
class KeyedActivityTests {

    private static final String KEY = "charge/order-7";

    private final AtomicInteger executions = new AtomicInteger();
    private final List<VerificationContext> reconciled = new CopyOnWriteArrayList<>();
    private EngineFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Charges once per call; blocks on {@code gate}, where the tests crash it. */
    private ActivityDefinition<String, String> charge(Gate gate, ActivityVerifier<String, String> verifier) {
        ActivityDefinition<String, String> charge = ActivityDefinition.of("charge", String.class, String.class, (order, context) -> {
            executions.incrementAndGet();
            gate.pass();
            return "receipt-" + order + "-attempt-" + context.attempt();
        });
        return verifier == null ? charge : charge.withVerifier(verifier);
    }

    private static WorkflowDefinition<String, String> pay(int calls) {
        return WorkflowDefinition.of("pay", String.class, String.class, (ctx, order) -> {
            ActivityOptions keyed = ActivityOptions.builder().idempotencyKey(KEY).build();
            String receipt = null;
            for (int i = 0; i < calls; i++) {
                receipt = ctx.run("charge", order, String.class, keyed);
            }
            return receipt;
        });
    }

    private WeftEngine engine(TestDatabase database, String node, Gate gate, ActivityVerifier<String, String> verifier) {
        if (fixture == null) {
            fixture = new EngineFixture(database);
        }
        return fixture.engine(node, builder -> builder.workflow(pay(2)).activity(charge(gate, verifier)));
    }

    private static Gate open() {
        Gate gate = new Gate();
        gate.open();
        return gate;
    }

    /** Starts a run on node a, crashes a in the middle of the charge, and resumes the run on node b. */
    private WorkflowHandle<Object> crashMidChargeThenResume(TestDatabase database, ActivityVerifier<String, String> verifier) {
        Gate gate = new Gate();
        WeftEngine crashed = engine(database, "a", gate, verifier);
        crashed.start("pay", "o-7", StartOptions.withId("keyed"));
        gate.awaitArrival();
        crashed.close();
        gate.open();
        return engine(database, "b", open(), verifier).resume("keyed");
    }

    private ActivityVerifier<String, String> answering(Reconciliation answer) {
        return (input, context) -> {
            reconciled.add(context);
            return answer;
        };
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aCompletedKeyIsRecordedAsItsDigestAndASecondCallWithItReturnsTheResultWithoutRunning(TestDatabase database) throws Exception {
        WeftEngine engine = engine(database, "a", open(), null);

        WorkflowHandle<Object> run = engine.start("pay", "o-7");

        assertThat(run.result(Gate.patience())).isEqualTo("receipt-o-7-attempt-1");
        assertThat(executions).hasValue(1);
        ActivityRecord record = fixture.newStore().findActivityRecord(run.id(), "charge", KeyDigests.sha256(KEY)).orElseThrow();
        assertThat(record.state()).isEqualTo(ActivityRecord.State.COMPLETED);
        assertThat(record.result()).isEqualTo("\"receipt-o-7-attempt-1\"");
        List<Map<String, Object>> rows = fixture.schema().sql("select * from %PREFIX%activity_record").query().listOfRows();
        assertThat(rows).singleElement().satisfies(row ->
                assertThat(row.values()).allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain("order-7")));
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aStartedRecordWithoutAVerifierFailsTheStepClosedWithoutDispatching(TestDatabase database) {
        WorkflowHandle<Object> resumed = crashMidChargeThenResume(database, null);

        assertThatThrownBy(() -> resumed.result(Gate.patience())).isInstanceOfSatisfying(WorkflowFailedException.class, failed -> {
            assertThat(failed.failure().message()).contains("Activity 'charge' at step 1 of run 'keyed'",
                    "prior dispatch marker for attempt 1 but no verifier", "not dispatched again").doesNotContain(KEY);
        });
        assertThat(executions).as("only the attempt before the crash").hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void notCompletedDispatchesTheNextAttempt(TestDatabase database) {
        WorkflowHandle<Object> resumed = crashMidChargeThenResume(database, answering(Reconciliation.notCompleted()));

        assertThat(resumed.result(Gate.patience())).isEqualTo("receipt-o-7-attempt-2");
        assertThat(executions).hasValue(2);
        assertThat(reconciled).singleElement().satisfies(context -> {
            assertThat(context.attempt()).isEqualTo(1);
            assertThat(context.step()).isEqualTo(1);
            assertThat(context.idempotencyKey()).isEqualTo(KEY);
            assertThat(context.toString()).doesNotContain(KEY);
        });
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void completedWithAResultAdoptsItWithoutDispatching(TestDatabase database) {
        WorkflowHandle<Object> resumed = crashMidChargeThenResume(database, answering(Reconciliation.completedWithResult("found-by-key")));

        assertThat(resumed.result(Gate.patience())).isEqualTo("found-by-key");
        assertThat(executions).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void anUnprovableOutcomeFailsClosedWhateverTheRetryPolicy(TestDatabase database) {
        List<ActivityVerifier<String, String>> unprovable = List.of(
                answering(Reconciliation.completedResultUnavailable()),
                answering(Reconciliation.indeterminate("the provider is down")),
                (input, context) -> {
                    throw new IllegalStateException("lookup failed");
                },
                (input, context) -> null);
        List<String> reasons = List.of("result cannot be reconstructed", "indeterminate, its verifier says: the provider is down",
                "its verifier threw IllegalStateException: lookup failed", "its verifier answered null");
        for (int i = 0; i < unprovable.size(); i++) {
            close();
            fixture = null;
            executions.set(0);
            WorkflowHandle<Object> resumed = crashMidChargeThenResume(database, unprovable.get(i));

            String reason = reasons.get(i);
            assertThatThrownBy(() -> resumed.result(Gate.patience())).isInstanceOfSatisfying(WorkflowFailedException.class,
                    failed -> assertThat(failed.failure().message()).contains(reason).doesNotContain(KEY));
            assertThat(executions).as(reason).hasValue(1);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aResultRecordedBeforeTheCheckpointIsReplayedWithoutAVerifier(TestDatabase database) {
        // the window between the completed record and the step's checkpoint: the record holds the result, the journal does not
        Gate gate = new Gate();
        WeftEngine crashed = engine(database, "a", gate, null);
        crashed.start("pay", "o-7", StartOptions.withId("keyed"));
        gate.awaitArrival();
        crashed.close();
        gate.open();
        fixture.schema().sql("update %PREFIX%activity_record set state = 'completed', result = '\"recorded receipt\"'").update();

        WorkflowHandle<Object> resumed = engine(database, "b", open(), null).resume("keyed");

        assertThat(resumed.result(Gate.patience())).isEqualTo("recorded receipt");
        assertThat(executions).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aRejectedResultIsAFailedAttemptUnderTheRetryPolicy(TestDatabase database) {
        ActivityVerifier<String, String> rejectsFirst = new ActivityVerifier<>() {
            @Override
            public Reconciliation reconcile(String input, VerificationContext context) {
                return Reconciliation.indeterminate("not used");
            }

            @Override
            public boolean accept(String input, String result, VerificationContext context) {
                return context.attempt() > 1;
            }
        };
        WeftEngine engine = engine(database, "a", open(), rejectsFirst);

        WorkflowHandle<Object> run = engine.start("pay", "o-7");
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(1));

        assertThat(run.result(Gate.patience())).isEqualTo("receipt-o-7-attempt-2");
        assertThat(executions).hasValue(2);
        assertThat(fixture.events(dev.weft.event.EngineEvent.ActivityRetrying.class)).singleElement()
                .satisfies(retry -> assertThat(retry.failure().message()).contains("Verification failed for activity 'charge'"));
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aDefinitionKeysItsCallsFromTheirInput(TestDatabase database) {
        fixture = new EngineFixture(database);
        WeftEngine engine = fixture.engine("a", builder -> builder
                .workflow(WorkflowDefinition.of("pay", String.class, String.class, (ctx, order) ->
                        ctx.run("charge", order, String.class) + "," + ctx.run("charge", order, String.class)
                                + "," + ctx.run("charge", order + "-b", String.class)))
                .activity(charge(open(), null).withIdempotencyKey(order -> "charge/" + order)));

        assertThat(engine.start("pay", "o-8").result(Gate.patience()))
                .isEqualTo("receipt-o-8-attempt-1,receipt-o-8-attempt-1,receipt-o-8-b-attempt-1");
        assertThat(executions).as("o-8 once, o-8-b once").hasValue(2);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void theRecordIsFencedByTheRunsEpoch(TestDatabase database) {
        fixture = new EngineFixture(database);
        JdbcWorkflowStore store = fixture.newStore();
        store.createRun(new dev.weft.store.NewRun("fenced", "pay", "\"o\"", "a", Duration.ofMinutes(1), EngineFixture.START));

        store.writeActivityRecord(ActivityRecord.started("fenced", "charge", KeyDigests.sha256(KEY), 1, 1), 1);
        assertThatThrownBy(() -> store.writeActivityRecord(ActivityRecord.completed("fenced", "charge", KeyDigests.sha256(KEY), 1, 1, "\"x\""), 2))
                .isInstanceOf(OwnershipLostException.class).hasMessageContaining("epoch 2");

        assertThat(store.findActivityRecord("fenced", "charge", KeyDigests.sha256(KEY)).orElseThrow().state())
                .isEqualTo(ActivityRecord.State.STARTED);
    }
}
