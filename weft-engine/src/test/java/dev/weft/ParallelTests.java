package dev.weft;

import dev.weft.failure.ActivityFailedException;
import dev.weft.failure.NonRetryableException;
import dev.weft.failure.WorkflowFailedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.retry.RetryPolicy;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.BranchResults;
import dev.weft.workflow.RaceResult;
import dev.weft.workflow.Step;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTests {

    private final EngineFixture fixture = EngineFixture.h2();
    private final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        fixture.close();
    }

    private ActivityDefinition<String, String> echo(String name) {
        return ActivityDefinition.of(name, String.class, String.class, (input, context) -> {
            calls.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            if (input.startsWith("fail")) {
                throw new NonRetryableException(name + " failed on " + input);
            }
            return name + ":" + input;
        });
    }

    private ActivityDefinition<String, String> gated(String name, Gate gate) {
        return ActivityDefinition.of(name, String.class, String.class, (input, context) -> {
            calls.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            gate.pass();
            return name + ":" + input;
        });
    }

    private int callsOf(String name) {
        return calls.getOrDefault(name, new AtomicInteger()).get();
    }

    @Test
    void allReturnsResultsInInputOrder() {
        Gate slowFirst = new Gate();
        WorkflowDefinition<String, Object> fanOut = WorkflowDefinition.of("fan-out", String.class, Object.class, (context, input) ->
                context.all(List.of(Step.activity("a", "1", String.class), Step.activity("b", "2", String.class),
                        Step.activity("c", "3", String.class))));
        WeftEngine engine = fixture.engine(builder -> builder.workflow(fanOut).activity(gated("a", slowFirst)).activity(echo("b"))
                .activity(echo("c")));

        WorkflowHandle<Object> handle = engine.start("fan-out", "x");
        slowFirst.awaitArrival();
        Awaitility.await().until(() -> callsOf("b") == 1 && callsOf("c") == 1);
        slowFirst.open();

        assertThat(handle.result(Gate.patience())).isEqualTo(List.of("a:1", "b:2", "c:3"));
    }

    @Test
    void allThrowsTheFirstFailureInInputOrderOnceEveryBranchSettled() {
        WorkflowDefinition<String, String> fanOut = WorkflowDefinition.of("fan-out", String.class, String.class, (context, input) -> {
            try {
                context.all(List.of(Step.activity("a", "ok", String.class), Step.activity("b", "fail-b", String.class),
                        Step.activity("c", "fail-c", String.class)));
                return "no failure";
            } catch (ActivityFailedException e) {
                return e.activityName() + ": " + e.failure().message();
            }
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(fanOut).activity(echo("a")).activity(echo("b")).activity(echo("c")));

        assertThat(engine.start("fan-out", "x").result(Gate.patience())).isEqualTo("b: b failed on fail-b");
        assertThat(callsOf("c")).isEqualTo(1);
    }

    @Test
    void branchesFollowTheirRetryPolicy() {
        AtomicInteger attempts = new AtomicInteger();
        ActivityDefinition<String, String> flaky = ActivityDefinition.of("flaky", String.class, String.class, (input, context) -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return "ok on " + context.attempt();
        });
        WorkflowDefinition<String, Object> fanOut = WorkflowDefinition.of("fan-out", String.class, Object.class,
                (context, input) -> context.all(List.of(Step.activity("flaky", "1", String.class))));
        WeftEngine engine = fixture.engine(builder -> builder.workflow(fanOut).activity(flaky));

        WorkflowHandle<Object> handle = engine.start("fan-out", "x");
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(RetryPolicy.DEFAULT_INITIAL_BACKOFF);

        assertThat(handle.result(Gate.patience())).isEqualTo(List.of("ok on 2"));
    }

    @Test
    void runAllGivesEachNamedBranchItsOwnOutcome() {
        WorkflowDefinition<String, String> named = WorkflowDefinition.of("named", String.class, String.class, (context, input) -> {
            BranchResults results = context.runAll(Map.of(
                    "payment", Step.activity("pay", "card", String.class),
                    "inventory", Step.activity("reserve", "fail-stock", String.class),
                    "email", Step.activity("mail", "ada", String.class)));
            return results.get("payment", String.class) + " | " + results.failed("inventory") + " "
                    + results.failure("inventory").getMessage().contains("fail-stock") + " | " + results.get("email", String.class);
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(named).activity(echo("pay")).activity(echo("reserve"))
                .activity(echo("mail")));

        assertThat(engine.start("named", "x").result(Gate.patience())).isEqualTo("pay:card | true true | mail:ada");
    }

    @Test
    void raceReturnsTheFirstToSettleAndLetsTheLoserRunOn() {
        Gate slow = new Gate();
        WorkflowDefinition<String, String> racing = WorkflowDefinition.of("racing", String.class, String.class, (context, input) -> {
            RaceResult<String> winner = context.race(List.of(Step.activity("slow", "1", String.class), Step.activity("fast", "2", String.class)));
            return winner.index() + "=" + winner.value();
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(racing).activity(gated("slow", slow)).activity(echo("fast")));

        WorkflowHandle<Object> handle = engine.start("racing", "x", StartOptions.withId("race-1"));

        assertThat(handle.result(Gate.patience())).isEqualTo("1=fast:2");
        slow.awaitArrival();
        slow.open();
        assertThat(callsOf("slow")).isEqualTo(1);
    }

    @Test
    void aRaceAgainstASleepLetsTheTimerWin() {
        Gate never = new Gate();
        WorkflowDefinition<String, String> deadline = WorkflowDefinition.of("deadline", String.class, String.class, (context, input) -> {
            RaceResult<Object> winner = context.race(List.of(Step.activity("job", "1", String.class), Step.sleep(Duration.ofSeconds(5))));
            return winner.index() == 1 ? "timed out" : "finished";
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(deadline).activity(gated("job", never)));

        WorkflowHandle<Object> handle = engine.start("deadline", "x");
        never.awaitArrival();
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(5));

        assertThat(handle.result(Gate.patience())).isEqualTo("timed out");
        never.open();
    }

    @Test
    void replayReturnsTheRecordedWinner() {
        Gate slow = new Gate();
        Gate hold = new Gate();
        WorkflowDefinition<String, String> racing = WorkflowDefinition.of("racing", String.class, String.class, (context, input) -> {
            RaceResult<String> winner = context.race(List.of(Step.activity("slow", "1", String.class), Step.activity("fast", "2", String.class)));
            return context.run("after", winner.value(), String.class);
        });
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(racing).activity(gated("slow", slow)).activity(echo("fast"))
                .activity(gated("after", hold)));
        crashed.start("racing", "x", StartOptions.withId("race-2"));
        hold.awaitArrival();
        crashed.close();

        // In the new process the former loser would win at once; the recorded winner must still be the one returned.
        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(racing).activity(echo("slow"))
                .activity(gated("fast", new Gate())).activity(echo("after")));
        recovered.recoverAll();

        assertThat(recovered.handle("race-2").result(Gate.patience())).isEqualTo("after:fast:2");
        slow.open();
        hold.open();
    }

    @Test
    void aChangedBranchCountOnReplayIsNonDeterministic() {
        Gate hold = new Gate();
        WorkflowDefinition<String, String> two = WorkflowDefinition.of("groups", String.class, String.class, (context, input) -> {
            context.all(List.of(Step.activity("a", "1", String.class), Step.activity("b", "2", String.class)));
            return context.run("after", input, String.class);
        });
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(two).activity(echo("a")).activity(echo("b"))
                .activity(gated("after", hold)));
        crashed.start("groups", "x", StartOptions.withId("groups-1"));
        hold.awaitArrival();
        crashed.close();

        WorkflowDefinition<String, String> three = WorkflowDefinition.of("groups", String.class, String.class, (context, input) -> {
            context.all(List.of(Step.activity("a", "1", String.class), Step.activity("b", "2", String.class), Step.activity("c", "3", String.class)));
            return context.run("after", input, String.class);
        });
        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(three).activity(echo("a")).activity(echo("b"))
                .activity(echo("c")).activity(echo("after")));
        recovered.recoverAll();

        assertThatThrownBy(() -> recovered.handle("groups-1").result(Gate.patience()))
                .isInstanceOfSatisfying(WorkflowFailedException.class, failed -> assertThat(failed.failure().message())
                        .contains("group 'all[2]'", "group 'all[3]'"));
        hold.open();
    }

    @Test
    void changedBranchKeysOnReplayAreNonDeterministic() {
        Gate hold = new Gate();
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(WorkflowDefinition.of("keys", String.class, String.class,
                (context, input) -> {
                    context.runAll(Map.of("x", Step.activity("a", "1", String.class)));
                    return context.run("after", input, String.class);
                })).activity(echo("a")).activity(gated("after", hold)));
        crashed.start("keys", "x", StartOptions.withId("keys-1"));
        hold.awaitArrival();
        crashed.close();

        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(WorkflowDefinition.of("keys", String.class, String.class,
                (context, input) -> {
                    context.runAll(Map.of("y", Step.activity("a", "1", String.class)));
                    return context.run("after", input, String.class);
                })).activity(echo("a")).activity(echo("after")));
        recovered.recoverAll();

        assertThatThrownBy(() -> recovered.handle("keys-1").result(Gate.patience())).isInstanceOf(WorkflowFailedException.class)
                .hasMessageContaining("runAll[y]");
        hold.open();
    }
}
