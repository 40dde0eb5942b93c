package dev.weft;

import dev.weft.failure.WorkflowCancelledException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.Step;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CancellationTests {

    private final EngineFixture fixture = EngineFixture.h2();
    private final List<String> observed = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Waits until cancelled; records how it learned of it. */
    private ActivityDefinition<String, String> waitingForCancellation(String name, CountDownLatch started) {
        return ActivityDefinition.of(name, String.class, String.class, (input, context) -> {
            context.cancellation().onCancel(() -> observed.add(name + ": callback"));
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                observed.add(name + ": interrupted, cancelled=" + context.cancellation().isCancelled());
                context.cancellation().throwIfCancelled();
            }
            return "unreachable";
        });
    }

    @Test
    void cancellingARunFiresTheSignalOfEveryInFlightActivityAndEndsItCancelled() {
        CountDownLatch started = new CountDownLatch(2);
        WorkflowDefinition<String, Object> parallel = WorkflowDefinition.of("parallel", String.class, Object.class,
                (context, input) -> context.all(List.of(Step.activity("left", input, String.class), Step.activity("right", input, String.class))));
        WeftEngine engine = fixture.engine(builder -> builder.workflow(parallel)
                .activity(waitingForCancellation("left", started)).activity(waitingForCancellation("right", started)));
        WorkflowHandle<Object> handle = engine.start("parallel", "x");
        Awaitility.await().until(() -> started.getCount() == 0);

        assertThat(handle.cancel()).isTrue();

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOf(WorkflowCancelledException.class)
                .hasMessageContaining(handle.id());
        assertThat(handle.status()).isEqualTo(WorkflowStatus.CANCELLED);
        Awaitility.await().untilAsserted(() -> assertThat(observed).containsExactlyInAnyOrder("left: callback", "right: callback",
                "left: interrupted, cancelled=true", "right: interrupted, cancelled=true"));
        assertThat(fixture.events(EngineEvent.WorkflowCancelled.class)).extracting(EngineEvent::workflowId).containsExactly(handle.id());
    }

    @Test
    void aWorkflowCanCatchTheCancellationToCleanUpButStillEndsCancelled() {
        CountDownLatch started = new CountDownLatch(1);
        WorkflowDefinition<String, String> tidy = WorkflowDefinition.of("tidy", String.class, String.class, (context, input) -> {
            try {
                return context.run("wait", input, String.class);
            } catch (WorkflowCancelledException e) {
                observed.add("workflow saw cancellation");
                return "cleaned up";
            }
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(tidy).activity(waitingForCancellation("wait", started)));
        WorkflowHandle<Object> handle = engine.start("tidy", "x");
        Awaitility.await().until(() -> started.getCount() == 0);

        engine.cancel(handle.id());

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOf(WorkflowCancelledException.class);
        assertThat(observed).contains("workflow saw cancellation");
    }

    @Test
    void cancellingASleepingRunEndsItWithoutWaitingForTheTimer() {
        WorkflowDefinition<String, String> sleepy = WorkflowDefinition.of("sleepy", String.class, String.class, (context, input) -> {
            context.sleep(Duration.ofHours(1));
            return "woke";
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(sleepy));
        WorkflowHandle<Object> handle = engine.start("sleepy", "x");
        fixture.awaitPendingTimers(1);

        handle.cancel();

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOf(WorkflowCancelledException.class);
        fixture.awaitPendingTimers(0);
    }

    @Test
    void cancellingAFinishedRunIsANoOpThatSaysSo() {
        WorkflowDefinition<String, String> quick = WorkflowDefinition.of("quick", String.class, String.class, (context, input) -> "done");
        WeftEngine engine = fixture.engine(builder -> builder.workflow(quick));
        WorkflowHandle<Object> handle = engine.start("quick", "x");
        handle.result(Gate.patience());

        assertThat(handle.cancel()).isFalse();
        assertThat(handle.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(handle.result(Gate.patience())).isEqualTo("done");
    }

    @Test
    void aCancellationRequestedThroughAnotherEngineReachesTheOwner() {
        CountDownLatch started = new CountDownLatch(1);
        WorkflowDefinition<String, String> waiting = WorkflowDefinition.of("waiting", String.class, String.class,
                (context, input) -> context.run("wait", input, String.class));
        WeftEngine owner = fixture.engine("owner", builder -> builder.workflow(waiting)
                .activity(waitingForCancellation("wait", started))
                .lease(Duration.ofSeconds(3)).leaseRenewInterval(Duration.ofMillis(50)));
        WorkflowHandle<Object> handle = owner.start("waiting", "x");
        Awaitility.await().until(() -> started.getCount() == 0);
        WeftEngine other = fixture.engine("other", builder -> { });

        assertThat(other.cancel(handle.id())).isTrue();

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOf(WorkflowCancelledException.class);
        Awaitility.await().untilAsserted(() -> assertThat(observed).contains("wait: callback"));
    }

    @Test
    void closingTheEngineFiresTheSignalOfItsInFlightAttempts() {
        CountDownLatch started = new CountDownLatch(1);
        WorkflowDefinition<String, String> waiting = WorkflowDefinition.of("waiting", String.class, String.class,
                (context, input) -> context.run("wait", input, String.class));
        WeftEngine engine = fixture.engine(builder -> builder.workflow(waiting).activity(waitingForCancellation("wait", started)));
        engine.start("waiting", "x");
        Awaitility.await().until(() -> started.getCount() == 0);

        engine.close();

        Awaitility.await().atMost(Gate.patience())
                .until(() -> observed.containsAll(List.of("wait: callback", "wait: interrupted, cancelled=true")));
    }
}
