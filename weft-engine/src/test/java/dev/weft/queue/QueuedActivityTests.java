package dev.weft.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.WeftEngineBuilder;
import dev.weft.WorkflowHandle;
import dev.weft.WorkflowStatus;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.failure.InvalidDefinitionException;
import dev.weft.retry.RetryOverride;
import dev.weft.store.ClaimedTask;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.TaskOutcome;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.testing.TestDatabase;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Activities called with a queue, on every database: a task row written with the step's
 * checkpoint, claimed and run by a worker pool on any node, its outcome written under the claim
 * and adopted by the workflow exactly as an inline call's.
 */
class QueuedActivityTests {

    private static final String QUEUE = "work";

    private final List<String> ranOn = new CopyOnWriteArrayList<>();
    /** Calls of {@link #busyEcho()} running now, and the most that ever ran at once. */
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();
    private EngineFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A workflow that calls "echo" on the queue once with its input, with the options given. */
    private static WorkflowDefinition<String, String> callsEcho(ActivityOptions options) {
        return WorkflowDefinition.of("calls-echo", String.class, String.class,
                (ctx, input) -> ctx.run("echo", input, String.class, options));
    }

    private static ActivityOptions queued() {
        return ActivityOptions.builder().queue(QUEUE).build();
    }

    /** "echo", recording which node ran it. */
    private ActivityDefinition<String, String> echo(String node) {
        return ActivityDefinition.of("echo", String.class, String.class, (input, context) -> {
            ranOn.add(node + ":" + input);
            return "echo " + input + " from " + node;
        });
    }

    /**
     * "echo" that stays busy a little (its work, not a wait for time to pass: it lets calls overlap)
     * and records in {@link #most} the most calls that ran at once.
     */
    private ActivityDefinition<String, String> busyEcho() {
        return ActivityDefinition.of("echo", String.class, String.class, (input, context) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } finally {
                running.decrementAndGet();
            }
            return input;
        });
    }

    private WeftEngine engine(TestDatabase database, String node, Consumer<WeftEngineBuilder> setup) {
        if (fixture == null) {
            fixture = new EngineFixture(database);
        }
        return fixture.engine(node, setup);
    }

    private int tasksLeft() {
        return fixture.schema().sql("select count(*) from %PREFIX%task").query(Integer.class).single();
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aQueuedActivityRunsOnThePoolAndItsResultReturnsAsAnInlineCallsWould(TestDatabase database) {
        WeftEngine engine = engine(database, "a", builder -> builder.workflow(callsEcho(queued())).activity(echo("a"))
                .queue(QUEUE, QueueOptions.concurrency(2)));

        WorkflowHandle<Object> run = engine.start("calls-echo", "hi");

        assertThat(run.result(Gate.patience())).isEqualTo("echo hi from a");
        assertThat(ranOn).containsExactly("a:hi");
        JournalEntry step = fixture.journal(run.id()).getFirst();
        assertThat(step.state()).isEqualTo(EntryState.COMPLETED);
        assertThat(tasksLeft()).isZero();
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aTaskEnqueuedByOneNodeRunsOnAnotherNodesPoolAndWakesTheRunWhereItIsDriven(TestDatabase database) {
        WeftEngine driver = engine(database, "driver", builder -> builder.workflow(callsEcho(queued())).activity(echo("driver")));
        engine(database, "worker", builder -> builder.activity(echo("worker")).queue(QUEUE, QueueOptions.concurrency(2)));

        WorkflowHandle<Object> run = driver.start("calls-echo", "x");

        assertThat(run.result(Gate.patience())).isEqualTo("echo x from worker");
        assertThat(ranOn).containsExactly("worker:x");
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aFailedQueuedAttemptIsRetriedThroughTheQueueUnderTheRetryPolicy(TestDatabase database) {
        AtomicInteger attempts = new AtomicInteger();
        ActivityDefinition<String, String> flaky = ActivityDefinition.of("echo", String.class, String.class, (input, context) -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return "attempt " + context.attempt();
        });
        ActivityOptions options = ActivityOptions.builder().queue(QUEUE)
                .retry(RetryOverride.none().maxAttempts(3).initialBackoff(Duration.ofMillis(1))).build();
        WeftEngine engine = engine(database, "a", builder -> builder.workflow(callsEcho(options)).activity(flaky)
                .queue(QUEUE, QueueOptions.concurrency(1)));

        WorkflowHandle<Object> run = engine.start("calls-echo", "x");
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(1));

        assertThat(run.result(Gate.patience())).isEqualTo("attempt 2");
        assertThat(attempts).hasValue(2);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void anExpiredClaimIsClaimedAgainAndTheLateOutcomeOfTheOldClaimIsRefused(TestDatabase database) {
        ActivityOptions options = ActivityOptions.builder().queue(QUEUE).visibilityTimeout(Duration.ofSeconds(10)).build();
        WeftEngine driver = engine(database, "driver", builder -> builder.workflow(callsEcho(options)).activity(echo("driver")));
        WorkflowHandle<Object> run = driver.start("calls-echo", "x");
        JdbcWorkflowStore dead = fixture.newStore();
        // a worker that claims the task and dies: nobody extends its claim
        ClaimedTask lost = Awaitility.await().atMost(Gate.patience())
                .until(() -> dead.tasks().claim(QUEUE, "dead-worker", 1, fixture.clock().now()), claims -> !claims.isEmpty())
                .getFirst();
        assertThat(lost.claims()).isEqualTo(1);

        fixture.clock().advance(Duration.ofSeconds(11));
        engine(database, "worker", builder -> builder.activity(echo("worker")).queue(QUEUE, QueueOptions.concurrency(1)));

        assertThat(run.result(Gate.patience())).isEqualTo("echo x from worker");
        assertThat(dead.tasks().complete(TaskOutcome.completed(lost, "\"late\""))).isFalse();
        assertThat(fixture.journal(run.id()).getFirst().result()).isEqualTo("\"echo x from worker\"");
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void cancellingTheWorkflowSignalsItsActivityRunningOnAnotherNodesPool(TestDatabase database) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch signalled = new CountDownLatch(1);
        ActivityDefinition<String, String> waits = ActivityDefinition.of("echo", String.class, String.class, (input, context) -> {
            context.cancellation().onCancel(signalled::countDown);
            started.countDown();
            signalled.await(30, TimeUnit.SECONDS);
            return "stopped";
        });
        ActivityOptions options = ActivityOptions.builder().queue(QUEUE).visibilityTimeout(Duration.ofMillis(300)).build();
        WeftEngine driver = engine(database, "driver", builder -> builder.workflow(callsEcho(options)).activity(echo("driver")));
        engine(database, "worker", builder -> builder.activity(waits).queue(QUEUE, QueueOptions.concurrency(1)));
        WorkflowHandle<Object> run = driver.start("calls-echo", "x");
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        driver.cancel(run.id());

        assertThat(signalled.await(30, TimeUnit.SECONDS)).isTrue();
        Awaitility.await().atMost(Gate.patience()).until(() -> run.status() == WorkflowStatus.CANCELLED);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void twoNodesTogetherNeverRunMoreThanTheQueuesClusterWideLimit(TestDatabase database) {
        ActivityDefinition<String, String> busy = busyEcho();
        QueueOptions limited = QueueOptions.concurrency(4).withMaxInFlight(2);
        WeftEngine a = engine(database, "a", builder -> builder.workflow(callsEcho(queued())).activity(busy).queue(QUEUE, limited));
        engine(database, "b", builder -> builder.workflow(callsEcho(queued())).activity(busy).queue(QUEUE, limited));

        List<WorkflowHandle<Object>> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            runs.add(a.start("calls-echo", "r" + i));
        }

        for (int i = 0; i < runs.size(); i++) {
            assertThat(runs.get(i).result(Gate.patience())).isEqualTo("r" + i);
        }
        assertThat(most.get()).isBetween(1, 2);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void theRateLimitLetsNoMoreTasksStartPerPeriodThanItAllows(TestDatabase database) {
        WeftEngine engine = engine(database, "a", builder -> builder.workflow(callsEcho(queued())).activity(echo("a"))
                .queue(QUEUE, QueueOptions.concurrency(8).withRateLimit(2, Duration.ofSeconds(10))));

        for (int i = 0; i < 5; i++) {
            engine.start("calls-echo", "r" + i);
        }

        Awaitility.await().atMost(Gate.patience()).until(() -> ranOn.size() == 2);
        // the clock stands still: the bucket does not refill, whatever the pool's polls
        Awaitility.await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> ranOn.size() == 2);
        fixture.clock().advance(Duration.ofSeconds(5));
        Awaitility.await().atMost(Gate.patience()).until(() -> ranOn.size() == 3);
        Awaitility.await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> ranOn.size() == 3);
        fixture.clock().advance(Duration.ofSeconds(10));
        Awaitility.await().atMost(Gate.patience()).until(() -> ranOn.size() == 5);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aPausedQueueKeepsItsTasksAndHigherPriorityRunsFirstOnResume(TestDatabase database) {
        WeftEngine engine = engine(database, "a", builder -> builder.activity(echo("a"))
                .workflow(WorkflowDefinition.of("prioritised", Integer.class, String.class, (ctx, priority) -> ctx.run("echo",
                        "p" + priority, String.class, ActivityOptions.builder().queue(QUEUE).priority(priority).build())))
                .queue(QUEUE, QueueOptions.concurrency(1)));
        engine.queues().pause(QUEUE);

        List<WorkflowHandle<Object>> runs = new java.util.ArrayList<>();
        for (int priority : new int[] {1, 5, 3, 9}) {
            runs.add(engine.start("prioritised", priority));
        }
        Awaitility.await().atMost(Gate.patience()).until(() -> depth(engine) == 4);
        Awaitility.await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> ranOn.isEmpty());
        assertThat(engine.queues().list()).singleElement().satisfies(info -> {
            assertThat(info.paused()).isTrue();
            assertThat(info.servedHere()).isTrue();
        });

        engine.queues().resume(QUEUE);

        runs.forEach(run -> run.result(Gate.patience()));
        assertThat(ranOn).containsExactly("a:p9", "a:p5", "a:p3", "a:p1");
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void inAFairQueueFairnessKeysTakeTurnsSoOneKeysBacklogHoldsNoOtherBack(TestDatabase database) {
        WeftEngine engine = engine(database, "a", builder -> builder.activity(echo("a"))
                .workflow(WorkflowDefinition.of("tenant-work", String.class, String.class, (ctx, tenant) -> ctx.run("echo", tenant,
                        String.class, ActivityOptions.builder().queue(QUEUE).fairnessKey(tenant).build())))
                .queue(QUEUE, QueueOptions.concurrency(1).withFairness()));
        engine.queues().pause(QUEUE);
        List<WorkflowHandle<Object>> runs = new java.util.ArrayList<>();
        for (String tenant : List.of("noisy", "noisy", "noisy", "noisy", "quiet", "calm")) {
            runs.add(engine.start("tenant-work", tenant));
        }
        Awaitility.await().atMost(Gate.patience()).until(() -> depth(engine) == 6);

        engine.queues().resume(QUEUE);

        runs.forEach(run -> run.result(Gate.patience()));
        assertThat(ranOn.subList(0, 3)).containsExactlyInAnyOrder("a:noisy", "a:quiet", "a:calm");
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aLimitSetAtRuntimeHoldsForAQueueServedAtRuntime(TestDatabase database) {
        ActivityDefinition<String, String> busy = busyEcho();
        WeftEngine engine = engine(database, "a", builder -> builder.workflow(callsEcho(queued())).activity(busy));
        engine.queues().configure(QUEUE, QueueOptions.concurrency(1).withMaxInFlight(1));
        engine.serveQueue(QUEUE, 8);

        List<WorkflowHandle<Object>> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(engine.start("calls-echo", "r" + i));
        }

        runs.forEach(run -> run.result(Gate.patience()));
        assertThat(most).hasValue(1);
        assertThat(engine.queues().list()).singleElement().satisfies(info -> {
            assertThat(info.maxInFlight()).isEqualTo(1);
            assertThat(info.servedHere()).isTrue();
            assertThat(info.claimedHere()).isEqualTo(8);
        });
    }

    private static long depth(WeftEngine engine) {
        return engine.queues().list().stream().mapToLong(QueueInfo::depth).sum();
    }

    @Test
    void badQueueSettingsAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> ActivityOptions.builder().queue("no spaces")).isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("queue name");
        assertThatThrownBy(() -> QueueOptions.concurrency(0)).isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("concurrency");
        assertThatThrownBy(() -> QueueOptions.concurrency(1).withMaxInFlight(0)).hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> QueueOptions.concurrency(1).withRateLimit(1, Duration.ZERO)).hasMessageContaining("rate period");
        assertThatThrownBy(() -> ActivityOptions.builder().visibilityTimeout(Duration.ZERO)).hasMessageContaining("visibilityTimeout");
        assertThatThrownBy(() -> WeftEngine.builder().queue("bad/name", QueueOptions.defaults())).hasMessageContaining("queue name");
    }
}
