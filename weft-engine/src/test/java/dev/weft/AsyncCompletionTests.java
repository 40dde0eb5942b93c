package dev.weft;

import dev.weft.failure.ActivityFailedException;
import dev.weft.failure.AsyncActivityTokenNotFoundException;
import dev.weft.failure.NonRetryableException;
import dev.weft.failure.PayloadSizeExceededException;
import dev.weft.failure.WorkflowCancelledException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.store.EntryState;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.testing.TestDatabase;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Activities completed out of band by token. */
class AsyncCompletionTests {

    record Approval(boolean approved, String by) {
    }

    private EngineFixture fixture = EngineFixture.h2();
    private final AtomicInteger handOffs = new AtomicInteger();

    @AfterEach
    void close() {
        fixture.close();
    }

    private final ActivityDefinition<String, Approval> askForApproval = ActivityDefinition.of("askForApproval", String.class,
            Approval.class, (input, context) -> {
                handOffs.incrementAndGet();
                return context.completeAsync();
            });

    private static final WorkflowDefinition<String, String> EXPENSE = WorkflowDefinition.of("expense", String.class, String.class,
            (context, input) -> {
                try {
                    Approval approval = context.run("askForApproval", input, Approval.class);
                    return (approval.approved() ? "approved by " : "rejected by ") + approval.by();
                } catch (ActivityFailedException e) {
                    return "failed: " + e.failure().message() + " after " + e.attempts();
                }
            });

    private WeftEngine engine(String node) {
        return fixture.engine(node, builder -> builder.workflow(EXPENSE).activity(askForApproval)
                .leaseRenewInterval(Duration.ofMillis(100)));
    }

    private String awaitToken(String runId, int attempt) {
        Awaitility.await().until(() -> fixture.events(EngineEvent.ActivityAsyncPending.class).stream()
                .anyMatch(pending -> pending.workflowId().equals(runId) && pending.attempt() == attempt));
        return fixture.events(EngineEvent.ActivityAsyncPending.class).stream()
                .filter(pending -> pending.workflowId().equals(runId) && pending.attempt() == attempt)
                .findFirst().orElseThrow().token();
    }

    @Test
    void completeAsyncParksTheRunUntilItsTokenIsCompleted() {
        WeftEngine engine = engine("a");
        WorkflowHandle<String> handle = engine.start(EXPENSE, "laptop", StartOptions.withId("exp:1"));

        String token = awaitToken("exp:1", 1);

        assertThat(token).isEqualTo("async-act:v1:exp:1:1:1");
        assertThat(handle.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(engine.pendingAsyncActivities("exp:1")).singleElement().satisfies(pending -> {
            assertThat(pending.token()).isEqualTo(token);
            assertThat(pending.activityName()).isEqualTo("askForApproval");
        });
        engine.completeAsyncActivity(token, new Approval(true, "ada"));

        assertThat(handle.result(Gate.patience())).isEqualTo("approved by ada");
        assertThat(engine.pendingAsyncActivities("exp:1")).isEmpty();
        assertThatThrownBy(() -> engine.completeAsyncActivity(token, new Approval(false, "late")))
                .isInstanceOf(AsyncActivityTokenNotFoundException.class).hasMessageContaining("No pending async activity");
    }

    @Test
    void aFailureGoesThroughTheRetryPolicyAndTheNextAttemptGetsANewToken() {
        WeftEngine engine = engine("a");
        WorkflowHandle<String> handle = engine.start(EXPENSE, "laptop", StartOptions.withId("exp-2"));
        String first = awaitToken("exp-2", 1);

        engine.failAsyncActivity(first, new IllegalStateException("approver on leave"));
        fixture.awaitPendingTimers(1);
        fixture.clock().advance(Duration.ofSeconds(1));
        String second = awaitToken("exp-2", 2);

        assertThat(second).isEqualTo("async-act:v1:exp-2:1:2");
        assertThatThrownBy(() -> engine.completeAsyncActivity(first, new Approval(true, "x")))
                .isInstanceOf(AsyncActivityTokenNotFoundException.class);
        engine.completeAsyncActivity(second, new Approval(false, "bo"));
        assertThat(handle.result(Gate.patience())).isEqualTo("rejected by bo");
        assertThat(handOffs).hasValue(2);
    }

    @Test
    void aNonRetryableFailureReachesTheWorkflowsCatch() {
        WeftEngine engine = engine("a");
        WorkflowHandle<String> handle = engine.start(EXPENSE, "yacht", StartOptions.withId("exp-3"));

        engine.failAsyncActivity(awaitToken("exp-3", 1), new NonRetryableException("over budget"));

        assertThat(handle.result(Gate.patience())).isEqualTo("failed: over budget after 1");
    }

    @Test
    void unknownAndMalformedTokensAreNotFound() {
        WeftEngine engine = engine("a");
        engine.start(EXPENSE, "laptop", StartOptions.withId("exp-4"));
        awaitToken("exp-4", 1);

        for (String token : List.of("nonsense", "async-act:v1:exp-4:1:2", "async-act:v1:exp-4:2:1", "async-act:v1:missing:1:1",
                "async-act:v1::1:1", "async-act:v1:exp-4:x:1")) {
            assertThatThrownBy(() -> engine.completeAsyncActivity(token, null)).as(token)
                    .isInstanceOf(AsyncActivityTokenNotFoundException.class);
        }
    }

    @Test
    void anOversizedResultIsRefusedAndTheTokenStaysUsable() {
        WeftEngine engine = fixture.engine("a", builder -> builder.workflow(EXPENSE).activity(askForApproval).maxPayloadBytes(100));
        WorkflowHandle<String> handle = engine.start(EXPENSE, "laptop", StartOptions.withId("exp-5"));
        String token = awaitToken("exp-5", 1);

        assertThatThrownBy(() -> engine.completeAsyncActivity(token, new Approval(true, "x".repeat(200))))
                .isInstanceOf(PayloadSizeExceededException.class).hasMessageContaining("100 bytes");
        assertThatThrownBy(() -> engine.failAsyncActivity(token, new IllegalStateException("y".repeat(200))))
                .isInstanceOf(PayloadSizeExceededException.class);
        assertThat(fixture.journal("exp-5")).singleElement().satisfies(entry -> assertThat(entry.state()).isEqualTo(EntryState.PENDING));

        engine.completeAsyncActivity(token, new Approval(true, "cy"));
        assertThat(handle.result(Gate.patience())).isEqualTo("approved by cy");
    }

    @Test
    void theTokenSurvivesARestartAndTheActivityIsNotHandedOffAgain() {
        WeftEngine crashed = engine("a");
        crashed.start(EXPENSE, "laptop", StartOptions.withId("exp-6"));
        String token = awaitToken("exp-6", 1);
        crashed.close();

        WeftEngine recovered = engine("b");
        recovered.recoverAll();
        recovered.completeAsyncActivity(token, new Approval(true, "di"));

        assertThat(recovered.handle("exp-6").result(Gate.patience())).isEqualTo("approved by di");
        assertThat(handOffs).hasValue(1);
    }

    @Test
    void aCompletionThatArrivesWhileNoEngineDrivesTheRunIsDeliveredWhenItIsRecovered() {
        WeftEngine crashed = engine("a");
        crashed.start(EXPENSE, "laptop", StartOptions.withId("exp-7"));
        String token = awaitToken("exp-7", 1);
        crashed.close();
        WeftEngine client = fixture.engine("client", builder -> builder.worker(false));

        client.completeAsyncActivity(token, new Approval(true, "ed"));
        WeftEngine recovered = engine("b");
        recovered.recoverAll();

        assertThat(recovered.handle("exp-7").result(Gate.patience())).isEqualTo("approved by ed");
        assertThat(handOffs).hasValue(1);
    }

    @Test
    void aCompletionReceivedByAnotherEngineWakesTheOwner() {
        WeftEngine owner = engine("owner");
        WorkflowHandle<String> handle = owner.start(EXPENSE, "laptop", StartOptions.withId("exp-8"));
        String token = awaitToken("exp-8", 1);
        WeftEngine other = fixture.engine("other", builder -> { });

        other.completeAsyncActivity(token, new Approval(true, "fy"));

        assertThat(handle.result(Gate.patience())).isEqualTo("approved by fy");
    }

    @Test
    void cancellingAParkedRunSpendsNothingButEndsIt() {
        WeftEngine engine = engine("a");
        WorkflowHandle<String> handle = engine.start(EXPENSE, "laptop", StartOptions.withId("exp-9"));
        String token = awaitToken("exp-9", 1);

        handle.cancel();

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOf(WorkflowCancelledException.class);
        assertThatThrownBy(() -> engine.completeAsyncActivity(token, null)).isInstanceOf(AsyncActivityTokenNotFoundException.class);
    }

    @Test
    void aTokenCompletedByManyCallersAtOnceIsAcceptedExactlyOnce() throws Exception {
        fixture.close();
        fixture = new EngineFixture(TestDatabase.POSTGRESQL);
        WeftEngine engine = engine("a");
        WorkflowHandle<String> handle = engine.start(EXPENSE, "laptop", StartOptions.withId("exp-10"));
        String token = awaitToken("exp-10", 1);
        int callers = 50;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger notFound = new AtomicInteger();
        try (ExecutorService threads = Executors.newFixedThreadPool(callers)) {
            List<Callable<Void>> completions = new java.util.ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String by = "caller-" + i;
                completions.add(() -> {
                    go.await();
                    try {
                        engine.completeAsyncActivity(token, new Approval(true, by));
                        accepted.incrementAndGet();
                    } catch (AsyncActivityTokenNotFoundException e) {
                        notFound.incrementAndGet();
                    }
                    return null;
                });
            }
            List<Future<Void>> futures = completions.stream().map(threads::submit).toList();
            go.countDown();
            for (Future<Void> future : futures) {
                future.get();
            }
        }

        assertThat(accepted).hasValue(1);
        assertThat(notFound).hasValue(callers - 1);
        assertThat(handle.result(Gate.patience())).startsWith("approved by caller-");
    }
}
