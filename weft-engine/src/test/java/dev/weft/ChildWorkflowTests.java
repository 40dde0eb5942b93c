package dev.weft;

import dev.weft.failure.ChildWorkflowDepthExceededException;
import dev.weft.failure.ChildWorkflowFailedException;
import dev.weft.failure.ResultTimeoutException;
import dev.weft.failure.WorkflowCancelledException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.ChildOptions;
import dev.weft.workflow.ChildWorkflow;
import dev.weft.workflow.ParentClosePolicy;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChildWorkflowTests {

    private final EngineFixture fixture = EngineFixture.h2();
    private final AtomicInteger childRuns = new AtomicInteger();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static final WorkflowDefinition<String, String> SHOUT = WorkflowDefinition.of("shout", String.class, String.class,
            (context, input) -> {
                if (input.startsWith("fail")) {
                    throw new IllegalArgumentException("cannot shout " + input);
                }
                return context.run("upper", input, String.class) + "!";
            });

    private ActivityDefinition<String, String> upper(Gate gate) {
        return ActivityDefinition.of("upper", String.class, String.class, (input, context) -> {
            childRuns.incrementAndGet();
            gate.pass();
            return input.toUpperCase();
        });
    }

    private static WorkflowDefinition<String, String> parent(ParentClosePolicy policy, boolean waitForResult) {
        return WorkflowDefinition.of("parent", String.class, String.class, (context, input) -> {
            ChildWorkflow<String> child = context.startChild("shout", input, String.class, ChildOptions.defaults()
                    .withParentClosePolicy(policy));
            return waitForResult ? "child " + child.id() + " said " + child.result() : "left " + child.id();
        });
    }

    private WeftEngine engine(String node, WorkflowDefinition<?, ?> parent, Gate gate) {
        return fixture.engine(node, builder -> builder.workflow(parent).workflow(SHOUT).activity(upper(gate))
                .leaseRenewInterval(Duration.ofMillis(100)));
    }

    private static Gate open() {
        Gate gate = new Gate();
        gate.open();
        return gate;
    }

    @Test
    void aParentWaitsForItsChildsResultUnderADeterministicId() {
        WeftEngine engine = engine("a", parent(ParentClosePolicy.REQUEST_CANCEL, true), open());

        WorkflowHandle<Object> handle = engine.start("parent", "hi", StartOptions.withId("p-1"));

        assertThat(handle.result(Gate.patience())).isEqualTo("child p-1/1 said HI!");
        assertThat(engine.handle("p-1/1").status()).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void aChildsFailureReachesTheParentAsACatchableExceptionWithItsMessage() {
        WorkflowDefinition<String, String> catching = WorkflowDefinition.of("parent", String.class, String.class, (context, input) -> {
            try {
                return context.runChild("shout", input, String.class);
            } catch (ChildWorkflowFailedException e) {
                return e.childStatus() + ": " + e.failure().message();
            }
        });
        WeftEngine engine = engine("a", catching, open());

        assertThat(engine.start("parent", "fail-me").result(Gate.patience())).isEqualTo("FAILED: cannot shout fail-me");
    }

    @Test
    void abandonLetsTheChildRunOnAfterTheParentEnds() {
        Gate gate = new Gate();
        WeftEngine engine = engine("a", parent(ParentClosePolicy.ABANDON, false), gate);

        assertThat(engine.start("parent", "hi", StartOptions.withId("p-2")).result(Gate.patience())).isEqualTo("left p-2/1");
        gate.open();

        assertThat(engine.handle("p-2/1").result(Gate.patience())).isEqualTo("HI!");
    }

    @Test
    void requestCancelCancelsTheChildWhenTheParentEnds() {
        Gate gate = new Gate();
        WeftEngine engine = engine("a", parent(ParentClosePolicy.REQUEST_CANCEL, false), gate);

        assertThat(engine.start("parent", "hi", StartOptions.withId("p-3")).result(Gate.patience())).isEqualTo("left p-3/1");

        assertThatThrownBy(() -> engine.handle("p-3/1").result(Gate.patience())).isInstanceOf(WorkflowCancelledException.class);
        gate.open();
    }

    @Test
    void awaitKeepsTheParentRunningUntilTheChildEnds() {
        Gate gate = new Gate();
        WeftEngine engine = engine("a", parent(ParentClosePolicy.AWAIT, false), gate);
        WorkflowHandle<Object> handle = engine.start("parent", "hi", StartOptions.withId("p-4"));
        gate.awaitArrival();

        assertThatThrownBy(() -> handle.result(Duration.ofMillis(200))).isInstanceOf(ResultTimeoutException.class);
        gate.open();

        assertThat(handle.result(Gate.patience())).isEqualTo("left p-4/1");
        assertThat(engine.handle("p-4/1").status()).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void awaitWakesTheParentWhenItsChildEndsOnAnotherNode() {
        WeftEngine parentNode = fixture.engine("a", builder -> builder.workflow(parent(ParentClosePolicy.AWAIT, false))
                .leaseRenewInterval(Duration.ofMillis(100)));
        WorkflowHandle<Object> handle = parentNode.start("parent", "hi", StartOptions.withId("p-7"));
        // Node a has no definition of the child's type, so it leaves the child to a worker that has.
        Awaitility.await().until(() -> !fixture.journal("p-7").isEmpty());
        WeftEngine childNode = engine("b", parent(ParentClosePolicy.AWAIT, false), open());

        childNode.recoverAll();

        // No clock moves: the child's end reaches the parent's node through the store's wake request.
        assertThat(handle.result(Gate.patience())).isEqualTo("left p-7/1");
        assertThat(childNode.handle("p-7/1").status()).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void childrenNestNoDeeperThanTheLimit() {
        WorkflowDefinition<Integer, String> nesting = WorkflowDefinition.of("nesting", Integer.class, String.class,
                (context, level) -> {
                    try {
                        return level + ">" + context.runChild("nesting", level + 1, String.class);
                    } catch (ChildWorkflowDepthExceededException e) {
                        return level + " stop";
                    }
                });
        WeftEngine engine = fixture.engine("a", builder -> builder.workflow(nesting).maxChildDepth(2));

        assertThat(engine.start("nesting", 0).result(Gate.patience())).isEqualTo("0>1>2 stop");
    }

    @Test
    void aParentAndItsChildRecoveredAfterACrashFinishWithTheChildStartedOnce() {
        Gate gate = new Gate();
        WeftEngine crashed = engine("a", parent(ParentClosePolicy.REQUEST_CANCEL, true), gate);
        crashed.start("parent", "hi", StartOptions.withId("p-5"));
        gate.awaitArrival();
        crashed.close();

        WeftEngine recovered = engine("b", parent(ParentClosePolicy.REQUEST_CANCEL, true), open());
        assertThat(recovered.recoverAll().recovered()).containsExactlyInAnyOrder("p-5", "p-5/1");

        assertThat(recovered.handle("p-5").result(Gate.patience())).isEqualTo("child p-5/1 said HI!");
        assertThat(fixture.schema().sql("select count(*) from %PREFIX%run where parent_id = 'p-5'").query(Long.class).single())
                .isEqualTo(1);
        gate.open();
    }

    @Test
    void requestCancelIsHonouredWhenTheParentEndsAfterARestart() {
        Gate gate = new Gate();
        Gate parentGate = new Gate();
        WorkflowDefinition<String, String> slowParent = WorkflowDefinition.of("parent", String.class, String.class,
                (context, input) -> {
                    ChildWorkflow<String> child = context.startChild("shout", input, String.class, ChildOptions.defaults());
                    context.run("finishParent", child.id(), String.class);
                    return "done";
                });
        ActivityDefinition<String, String> finishParent = ActivityDefinition.of("finishParent", String.class, String.class,
                (input, context) -> {
                    parentGate.pass();
                    return input;
                });
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(slowParent).workflow(SHOUT).activity(upper(gate))
                .activity(finishParent));
        crashed.start("parent", "hi", StartOptions.withId("p-6"));
        gate.awaitArrival();
        parentGate.awaitArrival();
        crashed.close();

        Gate childStillBlocked = new Gate();
        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(slowParent).workflow(SHOUT)
                .activity(upper(childStillBlocked)).activity(ActivityDefinition.of("finishParent", String.class, String.class,
                        (input, context) -> input)).leaseRenewInterval(Duration.ofMillis(100)));
        recovered.recoverAll();

        assertThat(recovered.handle("p-6").result(Gate.patience())).isEqualTo("done");
        assertThatThrownBy(() -> recovered.handle("p-6/1").result(Gate.patience())).isInstanceOf(WorkflowCancelledException.class);
        gate.open();
        parentGate.open();
        Awaitility.await().until(() -> recovered.activeRunCount() == 0);
    }
}
