package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.event.EngineEvent;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.store.EntryKind;
import dev.weft.store.JournalEntry;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.testing.TestDatabase;
import dev.weft.workflow.WorkflowContext;
import dev.weft.workflow.WorkflowDefinition;
import dev.weft.workflow.WorkflowFunction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Activities called by helper code inside a memo callback: sub-operations of the memo with no
 * journal positions of their own; keyed ones replayed from their record after a crash before the
 * memo's checkpoint, unkeyed ones run again; everything else a replay could not reach refused.
 */
class MemoActivityTests {

    private final List<String> executed = new CopyOnWriteArrayList<>();
    private final Gate afterTools = new Gate();
    private EngineFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Shared helper code: two tool calls, as plain code outside a workflow would make them. */
    private static String helper(WorkflowContext ctx, String input, ActivityOptions options) {
        String first = ctx.run("tool", input + "-a", String.class, options);
        String second = ctx.memoActivity("tool", input + "-b", String.class, options);
        return first + "+" + second;
    }

    private ActivityDefinition<String, String> tool(int failingAttempts) {
        return ActivityDefinition.of("tool", String.class, String.class, (input, context) -> {
            executed.add(input + "#" + context.attempt());
            if (context.attempt() <= failingAttempts) {
                throw new IllegalStateException("tool busy");
            }
            return "tool(" + input + ")";
        });
    }

    private WeftEngine engine(TestDatabase database, String node, WorkflowFunction<String, String> body, int failingAttempts) {
        if (fixture == null) {
            fixture = new EngineFixture(database);
        }
        return fixture.engine(node, builder -> builder.workflow(WorkflowDefinition.of("agent", String.class, String.class, body))
                .activity(tool(failingAttempts)));
    }

    private WorkflowFunction<String, String> memoOfHelper(ActivityOptions options, Gate beforeReturn) {
        return (ctx, input) -> {
            String memo = ctx.memo("step-0", String.class, () -> {
                String result = helper(ctx, input, options);
                try {
                    beforeReturn.pass();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return result;
            });
            return memo + "|" + ctx.run("tool", input + "-after", String.class);
        };
    }

    private static Gate open() {
        Gate gate = new Gate();
        gate.open();
        return gate;
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void helperCallsTakeNoJournalPositionsAndReportTheMemosPosition(TestDatabase database) {
        WeftEngine engine = engine(database, "a", memoOfHelper(ActivityOptions.none(), open()), 0);

        WorkflowHandle<Object> run = engine.start("agent", "x");

        assertThat(run.result(Gate.patience())).isEqualTo("tool(x-a)+tool(x-b)|tool(x-after)");
        List<JournalEntry> journal = fixture.journal(run.id());
        assertThat(journal).extracting(JournalEntry::kind).containsExactly(EntryKind.VALUE, EntryKind.ACTIVITY);
        assertThat(journal.getFirst().name()).isEqualTo("memo:step-0");
        assertThat(fixture.events(EngineEvent.ActivityCompleted.class)).extracting(EngineEvent.ActivityCompleted::seq)
                .containsExactly(1L, 1L, 2L);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aCrashBeforeTheMemosCheckpointReplaysKeyedCallsFromTheirRecords(TestDatabase database) {
        WorkflowFunction<String, String> keyed = (ctx, input) -> ctx.memo("step-0", String.class, () -> {
            String first = ctx.run("tool", input + "-a", String.class, ActivityOptions.builder().idempotencyKey("tool/a").build());
            String second = ctx.run("tool", input + "-b", String.class, ActivityOptions.builder().idempotencyKey("tool/b").build());
            try {
                afterTools.pass();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return first + "+" + second;
        });
        WeftEngine crashed = engine(database, "a", keyed, 0);
        crashed.start("agent", "x", StartOptions.withId("memo-keyed"));
        afterTools.awaitArrival();
        crashed.close();
        afterTools.open();

        WorkflowHandle<Object> resumed = engine(database, "b", keyed, 0).resume("memo-keyed");

        assertThat(resumed.result(Gate.patience())).isEqualTo("tool(x-a)+tool(x-b)");
        assertThat(executed).as("each keyed call ran once, before the crash").containsExactly("x-a#1", "x-b#1");
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aCrashBeforeTheMemosCheckpointRunsUnkeyedCallsAgain(TestDatabase database) {
        Gate gate = new Gate();
        WeftEngine crashed = engine(database, "a", memoOfHelper(ActivityOptions.none(), gate), 0);
        crashed.start("agent", "x", StartOptions.withId("memo-unkeyed"));
        gate.awaitArrival();
        crashed.close();
        gate.open();

        WorkflowHandle<Object> resumed = engine(database, "b", memoOfHelper(ActivityOptions.none(), open()), 0).resume("memo-unkeyed");

        assertThat(resumed.result(Gate.patience())).isEqualTo("tool(x-a)+tool(x-b)|tool(x-after)");
        assertThat(executed).as("at least once: the memo's callback ran again").containsExactly("x-a#1", "x-b#1", "x-a#1", "x-b#1",
                "x-after#1");
    }

    @Test
    void helperCallsRetryByTheirPolicyInMemory() {
        WeftEngine engine = engine(TestDatabase.H2, "a", memoOfHelper(ActivityOptions.none(), open()), 1);

        WorkflowHandle<Object> run = engine.start("agent", "x");
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(1));
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(1));
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(1));

        assertThat(run.result(Gate.patience())).isEqualTo("tool(x-a)+tool(x-b)|tool(x-after)");
        assertThat(executed).containsExactly("x-a#1", "x-a#2", "x-b#1", "x-b#2", "x-after#1", "x-after#2");
        assertThat(fixture.journal(run.id())).hasSize(2);
    }

    @Test
    void outsideAMemoMemoActivityIsRefusedAndInsideOneOtherDurableOperationsAre() {
        List<WorkflowFunction<String, String>> misuses = List.of(
                (ctx, input) -> ctx.memoActivity("tool", input, String.class),
                (ctx, input) -> ctx.memo("m", String.class, () -> {
                    ctx.sleep(Duration.ofSeconds(1));
                    return "slept";
                }),
                (ctx, input) -> ctx.memo("m", String.class, () -> ctx.awaitSignal("go", String.class)),
                (ctx, input) -> ctx.memo("m", String.class, () -> ctx.memo("inner", String.class, () -> "nested")),
                (ctx, input) -> ctx.memo("m", String.class, () -> CompletableFuture
                        .supplyAsync(() -> ctx.run("tool", input, String.class)).join()));
        List<String> messages = List.of("memoActivity('tool') can only be called from a memo callback",
                "sleep cannot be used inside a memo callback", "awaitSignal cannot be used inside a memo callback",
                "a nested memo cannot be used inside a memo callback", "must be called on the workflow's thread");
        for (int i = 0; i < misuses.size(); i++) {
            close();
            fixture = null;
            WeftEngine engine = engine(TestDatabase.H2, "a", misuses.get(i), 0);
            String message = messages.get(i);

            assertThatThrownBy(() -> engine.start("agent", "x").result(Gate.patience())).as(message)
                    .isInstanceOfSatisfying(WorkflowFailedException.class, failed -> assertThat(failed.failure().message()).contains(message));
        }
    }

    @Test
    void completeAsyncInsideAMemoIsRefused() {
        fixture = new EngineFixture(TestDatabase.H2);
        WeftEngine engine = fixture.engine("a", builder -> builder
                .workflow(WorkflowDefinition.of("agent", String.class, String.class, (ctx, input) ->
                        ctx.memo("m", String.class, () -> ctx.run("approval", input, String.class))))
                .activity(ActivityDefinition.of("approval", String.class, String.class, (input, context) -> context.completeAsync())));

        assertThatThrownBy(() -> engine.start("agent", "x").result(Gate.patience())).isInstanceOfSatisfying(WorkflowFailedException.class,
                failed -> assertThat(failed.failure().message()).contains("completeAsync() inside a memo callback", "memo:1:m:call:1"));
    }
}
