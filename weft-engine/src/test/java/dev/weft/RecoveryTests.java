package dev.weft;

import dev.weft.failure.RunOwnedElsewhereException;
import dev.weft.failure.WorkflowNotRegisteredException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** recoverAll and resume in a fresh engine, and what they do with runs they cannot drive. */
class RecoveryTests {

    private final EngineFixture fixture = EngineFixture.h2();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static WorkflowDefinition<String, String> waitingOn(String type, Gate gate) {
        return WorkflowDefinition.of(type, String.class, String.class, (context, input) -> context.run("step", input, String.class));
    }

    private static ActivityDefinition<String, String> step(Gate gate) {
        return ActivityDefinition.of("step", String.class, String.class, (input, context) -> {
            gate.pass();
            return "done " + input;
        });
    }

    private void leaveRunning(String nodeId, String type, String... ids) {
        Gate gate = new Gate();
        WeftEngine crashed = fixture.engine(nodeId, builder -> builder.workflow(waitingOn(type, gate)).activity(step(gate)));
        for (String id : ids) {
            crashed.start(type, id, StartOptions.withId(id));
        }
        gate.awaitArrival();
        crashed.close();
        gate.open();
    }

    @Test
    void runsOfUnregisteredTypesAreReportedWithTheirCountsAndLeftAlone() {
        leaveRunning("a", "billing", "bill-1", "bill-2");
        leaveRunning("b", "shipping", "ship-1");
        Gate gate = new Gate();
        gate.open();
        WeftEngine onlyShipping = fixture.engine("c", builder -> builder.workflow(waitingOn("shipping", gate)).activity(step(gate)));

        RecoveryReport report = onlyShipping.recoverAll();

        assertThat(report.recovered()).containsExactly("ship-1");
        assertThat(report.unregisteredTypes()).containsExactly(java.util.Map.entry("billing", 2L));
        assertThat(report.unregisteredCount()).isEqualTo(2);
        assertThat(onlyShipping.handle("ship-1").result(Gate.patience())).isEqualTo("done ship-1");
        assertThat(onlyShipping.handle("bill-1").status()).isEqualTo(WorkflowStatus.RUNNING);

        WeftEngine billing = fixture.engine("d", builder -> builder.workflow(waitingOn("billing", gate)).activity(step(gate)));
        assertThat(billing.recoverAll().recovered()).containsExactlyInAnyOrder("bill-1", "bill-2");
        assertThat(billing.handle("bill-2").result(Gate.patience())).isEqualTo("done bill-2");
    }

    @Test
    void resumeTakesUpOneRun() {
        leaveRunning("a", "billing", "bill-1", "bill-2");
        Gate gate = new Gate();
        gate.open();
        WeftEngine engine = fixture.engine("b", builder -> builder.workflow(waitingOn("billing", gate)).activity(step(gate)));

        WorkflowHandle<Object> handle = engine.resume("bill-1");

        assertThat(handle.result(Gate.patience())).isEqualTo("done bill-1");
        assertThat(engine.handle("bill-2").status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(fixture.events(EngineEvent.WorkflowRecovered.class)).extracting(EngineEvent::workflowId).containsExactly("bill-1");
    }

    @Test
    void resumeOfARunHeldByALiveEngineIsRefused() {
        Gate gate = new Gate();
        WeftEngine owner = fixture.engine("owner", builder -> builder.workflow(waitingOn("billing", gate)).activity(step(gate)));
        owner.start("billing", "x", StartOptions.withId("held"));
        gate.awaitArrival();
        WeftEngine other = fixture.engine("other", builder -> builder.workflow(waitingOn("billing", gate)).activity(step(gate)));

        assertThatThrownBy(() -> other.resume("held")).isInstanceOf(RunOwnedElsewhereException.class)
                .hasMessageContaining("held").hasMessageContaining("owner");
        assertThat(other.recoverAll().recovered()).isEmpty();
        gate.open();
        assertThat(owner.handle("held").result(Gate.patience())).isEqualTo("done x");
    }

    @Test
    void resumeOfAnUnregisteredTypeNamesTheType() {
        leaveRunning("a", "billing", "bill-1");
        WeftEngine engine = fixture.engine("b", builder -> { });

        assertThatThrownBy(() -> engine.resume("bill-1")).isInstanceOf(WorkflowNotRegisteredException.class).hasMessageContaining("billing");
        assertThat(engine.handle("bill-1").status()).isEqualTo(WorkflowStatus.RUNNING);
    }

    @Test
    void aRestartedNodeTakesUpItsOwnRunsWithoutWaitingForTheirLeases() {
        Gate gate = new Gate();
        WeftEngine first = fixture.engine("same-node", builder -> builder.workflow(waitingOn("billing", gate)).activity(step(gate))
                .lease(Duration.ofHours(1)));
        first.start("billing", "x", StartOptions.withId("mine"));
        gate.awaitArrival();
        // A crash, not a close: the lease is not released. Only the leases' renewal stops.
        first.close();
        fixture.schema().sql("update %PREFIX%run set owner = 'same-node', lease_expires_at = current_timestamp + interval '1' hour "
                + "where id = 'mine'").update();
        Gate open = new Gate();
        open.open();
        WeftEngine restarted = fixture.engine("same-node", builder -> builder.workflow(waitingOn("billing", open)).activity(step(open)));

        assertThat(restarted.recoverAll().recovered()).containsExactly("mine");
        assertThat(restarted.handle("mine").result(Gate.patience())).isEqualTo("done x");
        WeftEngine stranger = fixture.engine("stranger", builder -> builder.workflow(waitingOn("billing", open)).activity(step(open)));
        assertThat(stranger.recoverAll().recovered()).isEmpty();
        gate.open();
    }

    @Test
    void aLiveEngineDoesNotReclaimTheRunsItIsDriving() {
        Gate gate = new Gate();
        WeftEngine engine = fixture.engine("node", builder -> builder.workflow(waitingOn("billing", gate)).activity(step(gate)));
        WorkflowHandle<Object> handle = engine.start("billing", "x");
        gate.awaitArrival();

        assertThat(engine.recoverAll().recovered()).isEmpty();
        gate.open();
        assertThat(handle.result(Gate.patience())).isEqualTo("done x");
    }
}
