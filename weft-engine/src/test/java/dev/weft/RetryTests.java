package dev.weft;

import dev.weft.failure.NonRetryableException;
import dev.weft.failure.WorkflowFailedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.event.EngineEvent;
import dev.weft.retry.RetryOverride;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries follow DESIGN.md section 5, with the clock moved by hand. */
class RetryTests {

    private final EngineFixture fixture = EngineFixture.h2();
    private final List<Integer> attempts = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Fails with {@code error} until attempt {@code succeedAt}. */
    private ActivityDefinition<String, String> failingUntil(int succeedAt, RuntimeException error) {
        return ActivityDefinition.of("charge", String.class, String.class, (input, context) -> {
            attempts.add(context.attempt());
            if (context.attempt() < succeedAt) {
                throw error;
            }
            return "charged on attempt " + context.attempt();
        });
    }

    private static WorkflowDefinition<String, String> callingCharge(ActivityOptions options) {
        return WorkflowDefinition.of("pay", String.class, String.class, (context, input) -> context.run("charge", input, String.class, options));
    }

    @Test
    void retriesWithTheDefaultPolicyAndExponentialBackoff() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(callingCharge(ActivityOptions.none()))
                .activity(failingUntil(3, new IllegalStateException("gateway down"))));

        WorkflowHandle<Object> handle = engine.start("pay", "order");
        fixture.awaitPendingTimers(1);
        assertThat(attempts).containsExactly(1);
        fixture.clock().advance(Duration.ofMillis(999));
        assertThat(attempts).containsExactly(1);
        fixture.clock().advance(Duration.ofMillis(1));
        fixture.awaitPendingTimers(1);
        assertThat(attempts).containsExactly(1, 2);
        fixture.clock().advance(Duration.ofSeconds(2));

        assertThat(handle.result(Gate.patience())).isEqualTo("charged on attempt 3");
        List<EngineEvent.ActivityRetrying> retries = fixture.events(EngineEvent.ActivityRetrying.class);
        assertThat(retries).extracting(EngineEvent.ActivityRetrying::failedAttempt).containsExactly(1, 2);
        assertThat(retries).extracting(EngineEvent.ActivityRetrying::nextAttemptAt)
                .containsExactly(EngineFixture.START.plusSeconds(1), EngineFixture.START.plusSeconds(3));
    }

    @Test
    void failsAfterMaxAttemptsWithTheLastError() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(callingCharge(ActivityOptions.none()))
                .activity(failingUntil(99, new IllegalStateException("gateway down"))));

        WorkflowHandle<Object> handle = engine.start("pay", "order");
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(1));
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(2));

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOfSatisfying(WorkflowFailedException.class,
                failed -> assertThat(failed.failure().message()).contains("Activity 'charge' failed after 3 attempts",
                        "IllegalStateException: gateway down"));
        assertThat(attempts).containsExactly(1, 2, 3);
        assertThat(fixture.events(EngineEvent.ActivityFailed.class)).singleElement()
                .satisfies(failed -> assertThat(failed.attempt()).isEqualTo(3));
    }

    /** A result Jackson cannot write: a getter that throws. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("no value");
        }
    }

    @Test
    void aResultThatCannotBeEncodedFailsTheStepAtOnceWithoutRunningItsWorkAgain() {
        AtomicInteger runs = new AtomicInteger();
        WorkflowDefinition<String, Object> pay = WorkflowDefinition.of("pay", String.class, Object.class,
                (context, order) -> context.run("charge", order, Object.class));
        WeftEngine engine = fixture.engine(builder -> builder.workflow(pay)
                .activity(ActivityDefinition.of("charge", String.class, Unwritable.class, (order, context) -> {
                    runs.incrementAndGet();
                    return new Unwritable();
                })));

        WorkflowHandle<Object> handle = engine.start("pay", "order");

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOfSatisfying(WorkflowFailedException.class,
                failed -> assertThat(failed.failure().message()).contains("The result of activity 'charge' cannot be encoded as JSON"));
        assertThat(runs).hasValue(1);
        assertThat(fixture.events(EngineEvent.ActivityRetrying.class)).isEmpty();
    }

    @Test
    void anInputThatDoesNotFitTheActivitysTypeFailsTheStepAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        WorkflowDefinition<String, Object> pay = WorkflowDefinition.of("pay", String.class, Object.class,
                (context, order) -> context.run("charge", java.util.Map.of("not", "a number"), Object.class));
        WeftEngine engine = fixture.engine(builder -> builder.workflow(pay)
                .activity(ActivityDefinition.of("charge", Integer.class, String.class, (amount, context) -> {
                    runs.incrementAndGet();
                    return "charged " + amount;
                })));

        WorkflowHandle<Object> handle = engine.start("pay", "order");

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOfSatisfying(WorkflowFailedException.class,
                failed -> assertThat(failed.failure().message()).contains("The input of activity 'charge' cannot be read as Integer"));
        assertThat(runs).hasValue(0);
        assertThat(fixture.events(EngineEvent.ActivityRetrying.class)).isEmpty();
    }

    @Test
    void aNonRetryableExceptionEndsTheActivityAtOnce() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(callingCharge(ActivityOptions.none()))
                .activity(failingUntil(99, new NonRetryableException("card declined"))));

        assertThatThrownBy(() -> engine.start("pay", "order").result(Gate.patience())).isInstanceOf(WorkflowFailedException.class);
        assertThat(attempts).containsExactly(1);
    }

    @Test
    void nonRetryableErrorsMatchSimpleNameQualifiedNameOrExactMessage() {
        for (String entry : List.of("IllegalArgumentException", "java.lang.IllegalArgumentException", "bad iban")) {
            attempts.clear();
            ActivityOptions options = ActivityOptions.builder().retry(RetryOverride.none().nonRetryableErrors(List.of(entry))).build();
            try (EngineFixture own = EngineFixture.h2()) {
                WeftEngine engine = own.engine(builder -> builder.workflow(callingCharge(options))
                        .activity(failingUntil(99, new IllegalArgumentException("bad iban"))));
                assertThatThrownBy(() -> engine.start("pay", "order").result(Gate.patience())).isInstanceOf(WorkflowFailedException.class);
            }
            assertThat(attempts).as("entry %s", entry).containsExactly(1);
        }
    }

    @Test
    void aDefinitionOverrideAndACallOverrideLayerOverTheDefaults() {
        // The definition allows 5 attempts with 10 ms backoff; the call lowers the attempts to 2 and keeps the backoff.
        ActivityDefinition<String, String> charge = failingUntil(99, new IllegalStateException("down")).withOptions(
                ActivityOptions.builder().retry(RetryOverride.none().maxAttempts(5).initialBackoff(Duration.ofMillis(10))).build());
        ActivityOptions call = ActivityOptions.builder().retry(RetryOverride.none().maxAttempts(2)).build();
        WeftEngine engine = fixture.engine(builder -> builder.workflow(callingCharge(call)).activity(charge));

        WorkflowHandle<Object> handle = engine.start("pay", "order");
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofMillis(10));

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOf(WorkflowFailedException.class);
        assertThat(attempts).containsExactly(1, 2);
    }

    @Test
    void theRetryStateIsDurableBeforeTheBackoffBegins() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(callingCharge(ActivityOptions.none()))
                .activity(failingUntil(3, new IllegalStateException("gateway down"))));

        WorkflowHandle<Object> handle = engine.start("pay", "order");
        fixture.awaitPendingTimers(1);

        JournalEntry waiting = fixture.journal(handle.id()).getFirst();
        assertThat(waiting.state()).isEqualTo(EntryState.WAITING);
        assertThat(waiting.attempt()).isEqualTo(2);
        assertThat(waiting.dueAt()).isEqualTo(EngineFixture.START.plusSeconds(1));
        assertThat(waiting.failure().message()).isEqualTo("gateway down");
        assertThat(waiting.scheduledAt()).isEqualTo(EngineFixture.START);
    }

    @Test
    void aRestartDuringABackoffNeitherRepeatsNorSkipsAnAttempt() {
        AtomicInteger nodeACalls = new AtomicInteger();
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(callingCharge(ActivityOptions.none()))
                .activity(ActivityDefinition.of("charge", String.class, String.class, (input, context) -> {
                    nodeACalls.incrementAndGet();
                    attempts.add(context.attempt());
                    throw new IllegalStateException("down");
                })));
        crashed.start("pay", "order", StartOptions.withId("pay-1"));
        fixture.awaitPendingTimers(1);
        crashed.close();
        fixture.awaitPendingTimers(0);

        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(callingCharge(ActivityOptions.none()))
                .activity(failingUntil(2, new IllegalStateException("down"))));
        fixture.clock().advance(Duration.ofMillis(500));
        recovered.recoverAll();
        fixture.awaitPendingTimers(1);
        assertThat(attempts).containsExactly(1);
        fixture.clock().advance(Duration.ofMillis(500));

        assertThat(recovered.handle("pay-1").result(Gate.patience())).isEqualTo("charged on attempt 2");
        assertThat(attempts).containsExactly(1, 2);
        assertThat(nodeACalls).hasValue(1);
    }

    @Test
    void aTimerAlreadyDueAtRecoveryRunsTheNextAttemptAtOnce() {
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(callingCharge(ActivityOptions.none()))
                .activity(failingUntil(2, new IllegalStateException("down"))));
        crashed.start("pay", "order", StartOptions.withId("pay-2"));
        fixture.awaitPendingTimers(1);
        crashed.close();
        fixture.clock().advance(Duration.ofMinutes(5));

        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(callingCharge(ActivityOptions.none()))
                .activity(failingUntil(2, new IllegalStateException("down"))));
        recovered.recoverAll();

        assertThat(recovered.handle("pay-2").result(Gate.patience())).isEqualTo("charged on attempt 2");
        assertThat(attempts).containsExactly(1, 2);
    }
}
