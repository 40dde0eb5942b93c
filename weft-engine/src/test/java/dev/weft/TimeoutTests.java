package dev.weft;

import dev.weft.failure.ActivityPerAttemptTimeoutException;
import dev.weft.failure.ActivityScheduleToCloseTimeoutException;
import dev.weft.failure.FailureCategory;
import dev.weft.failure.InvalidDefinitionException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.event.EngineEvent;
import dev.weft.retry.RetryOverride;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-attempt timeouts and the schedule-to-close budget, on the manual clock. */
class TimeoutTests {

    /** What one attempt saw of its own cancellation. */
    record AttemptTrace(int attempt, boolean signalFired, boolean interrupted) {
    }

    private final EngineFixture fixture = EngineFixture.h2();
    private final List<AttemptTrace> traces = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Hangs on attempts before {@code succeedAt} until interrupted; records what it saw. */
    private ActivityDefinition<String, String> hangingUntil(int succeedAt) {
        return ActivityDefinition.of("slow", String.class, String.class, (input, context) -> {
            if (context.attempt() >= succeedAt) {
                traces.add(new AttemptTrace(context.attempt(), false, false));
                return "done on attempt " + context.attempt();
            }
            try {
                new java.util.concurrent.CountDownLatch(1).await();
                throw new AssertionError("unreachable");
            } catch (InterruptedException e) {
                traces.add(new AttemptTrace(context.attempt(), context.cancellation().isCancelled(), true));
                throw e;
            }
        });
    }

    private static WorkflowDefinition<String, String> calling(ActivityOptions options) {
        return WorkflowDefinition.of("caller", String.class, String.class, (context, input) -> context.run("slow", input, String.class, options));
    }

    @Test
    void anAttemptThatOverrunsItsTimeoutIsCancelledInterruptedAndRetriedWithAFreshCap() {
        ActivityOptions options = ActivityOptions.builder().timeout(Duration.ofSeconds(5))
                .retry(RetryOverride.none().initialBackoff(Duration.ofSeconds(1))).build();
        WeftEngine engine = fixture.engine(builder -> builder.workflow(calling(options)).activity(hangingUntil(3)));

        WorkflowHandle<Object> handle = engine.start("caller", "x");
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(5));
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(1));
        // attempt 2 starts with its own 5 s cap, measured from its start
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(4));
        assertThat(handle.status()).isEqualTo(WorkflowStatus.RUNNING);
        fixture.clock().advance(Duration.ofSeconds(1));
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(2));

        assertThat(handle.result(Gate.patience())).isEqualTo("done on attempt 3");
        Awaitility.await().until(() -> traces.size() == 3);
        assertThat(traces).containsExactlyInAnyOrder(new AttemptTrace(1, true, true), new AttemptTrace(2, true, true),
                new AttemptTrace(3, false, false));
        assertThat(fixture.events(EngineEvent.ActivityRetrying.class)).allSatisfy(retry -> {
            assertThat(retry.failure().code()).isEqualTo(ActivityPerAttemptTimeoutException.CODE);
            assertThat(retry.failure().category()).isEqualTo(FailureCategory.TIMEOUT);
        });
    }

    @Test
    void theLastTimedOutAttemptReachesTheWorkflowAsAPerAttemptTimeout() {
        ActivityOptions options = ActivityOptions.builder().timeout(Duration.ofSeconds(5)).retry(RetryOverride.none().maxAttempts(1)).build();
        WorkflowDefinition<String, String> catching = WorkflowDefinition.of("caller", String.class, String.class, (context, input) -> {
            try {
                return context.run("slow", input, String.class, options);
            } catch (ActivityPerAttemptTimeoutException e) {
                return e.category() + " " + e.attempts();
            }
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(catching).activity(hangingUntil(99)));

        WorkflowHandle<Object> handle = engine.start("caller", "x");
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(5));

        assertThat(handle.result(Gate.patience())).isEqualTo("TIMEOUT 1");
    }

    @Test
    void theScheduleToCloseBudgetEndsRetriesAtTheRetryDecisionWithoutFiringTheSignal() {
        List<Boolean> signalsSeen = new CopyOnWriteArrayList<>();
        ActivityDefinition<String, String> failing = ActivityDefinition.of("slow", String.class, String.class, (input, context) -> {
            signalsSeen.add(context.cancellation().isCancelled());
            throw new IllegalStateException("still down");
        });
        // Backoffs 1 s then 2 s: attempt 2 may start at t=1 (inside 2.5 s), attempt 3 would start at t=3 (outside).
        ActivityOptions options = ActivityOptions.builder().scheduleToCloseTimeout(Duration.ofMillis(2500))
                .retry(RetryOverride.none().maxAttempts(10)).build();
        WorkflowDefinition<String, String> catching = WorkflowDefinition.of("caller", String.class, String.class, (context, input) -> {
            try {
                return context.run("slow", input, String.class, options);
            } catch (ActivityScheduleToCloseTimeoutException e) {
                return e.attempts() + " attempts: " + e.failure().message();
            }
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(catching).activity(failing));

        WorkflowHandle<Object> handle = engine.start("caller", "x");
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(1));

        assertThat((String) handle.result(Gate.patience())).startsWith("2 attempts: ")
                .contains("schedule-to-close budget of PT2.5S", "still down");
        assertThat(signalsSeen).containsExactly(false, false);
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThatThrownBy(() -> ActivityOptions.builder().timeout(Duration.ZERO)).isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> ActivityOptions.builder().scheduleToCloseTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("scheduleToCloseTimeout");
    }
}
