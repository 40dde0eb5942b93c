package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.event.EngineEvent.WakeReason;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.testing.LogCapture;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * A parked run taken up again is woken, not recovered; a run that was interrupted is recovered. And
 * the workflow's own logger stays quiet while the run replays what it did before.
 */
class WakeUpTests {

    private static final String WORKFLOW_LOG = "dev.weft.test.nap";

    private final EngineFixture fixture = EngineFixture.h2();
    private final List<Boolean> replayingBeforeTheNap = new CopyOnWriteArrayList<>();
    private final List<Boolean> replayingAfterTheNap = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        fixture.close();
    }

    private final WorkflowDefinition<String, String> nap = WorkflowDefinition.of("nap", String.class, String.class, (context, input) -> {
        Logger log = context.logger(WORKFLOW_LOG);
        replayingBeforeTheNap.add(context.isReplaying());
        log.info("{} goes to sleep", input);
        context.sleep(Duration.ofHours(1));
        replayingAfterTheNap.add(context.isReplaying());
        log.info("{} woke up", input);
        return "rested";
    });

    private static final WorkflowDefinition<String, String> APPROVAL = WorkflowDefinition.of("approval", String.class, String.class,
            (context, input) -> context.awaitSignal("approve", String.class));

    @Test
    void aTimerWakingAParkedRunIsAWakeUpAndItsLoggerDoesNotRepeatTheLinesBeforeTheWait() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(nap).parkAfter(Duration.ZERO));
        try (LogCapture log = LogCapture.of(WORKFLOW_LOG, Level.INFO)) {
            WorkflowHandle<Object> handle = engine.start("nap", "ada", StartOptions.withId("nap-1"));
            Awaitility.await().until(() -> engine.parkedRunCount() == 1 && engine.activeRunCount() == 0);

            fixture.clock().advance(Duration.ofHours(1));

            assertThat(handle.result(Gate.patience())).isEqualTo("rested");
            assertThat(log.messages(Level.INFO)).containsExactly("ada goes to sleep", "ada woke up");
        }
        assertThat(replayingBeforeTheNap).containsExactly(false, true);
        assertThat(replayingAfterTheNap).containsExactly(false);
        assertThat(fixture.events(EngineEvent.WorkflowRecovered.class)).isEmpty();
        assertThat(fixture.events(EngineEvent.WorkflowWoken.class)).singleElement().satisfies(woken -> {
            assertThat(woken.workflowId()).isEqualTo("nap-1");
            assertThat(woken.reason()).isEqualTo(WakeReason.TIMER);
        });
    }

    @Test
    void aSignalWakingAParkedRunIsAWakeUpByRequest() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(APPROVAL).parkAfter(Duration.ZERO));
        WorkflowHandle<Object> handle = engine.start("approval", "x", StartOptions.withId("ap-1"));
        Awaitility.await().until(() -> engine.parkedRunCount() == 1 && engine.activeRunCount() == 0);

        handle.signal("approve", "yes");

        assertThat(handle.result(Gate.patience())).isEqualTo("yes");
        assertThat(fixture.events(EngineEvent.WorkflowRecovered.class)).isEmpty();
        assertThat(fixture.events(EngineEvent.WorkflowWoken.class)).extracting(EngineEvent.WorkflowWoken::reason)
                .containsExactly(WakeReason.REQUEST);
    }

    @Test
    void aRestartTakesUpParkedRunsAsWakeUpsAndInterruptedRunsAsRecoveries() {
        Gate gate = new Gate();
        ActivityDefinition<String, String> step = ActivityDefinition.of("step", String.class, String.class, (input, context) -> {
            gate.pass();
            return "done " + input;
        });
        WorkflowDefinition<String, String> busy = WorkflowDefinition.of("busy", String.class, String.class,
                (context, input) -> context.run("step", input, String.class));
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(nap).workflow(busy).activity(step).parkAfter(Duration.ZERO));
        crashed.start("nap", "ada", StartOptions.withId("nap-2"));
        crashed.start("busy", "x", StartOptions.withId("busy-1"));
        gate.awaitArrival();
        Awaitility.await().until(() -> crashed.parkedRunCount() == 1);
        crashed.close();
        // A crash, not a close: the busy run is still held by node a, under a lease that lapsed.
        fixture.schema().sql("update %PREFIX%run set owner = 'a', lease_expires_at = current_timestamp - interval '1' minute "
                + "where id = 'busy-1'").update();
        gate.open();

        WeftEngine successor = fixture.engine("b", builder -> builder.workflow(nap).workflow(busy).activity(step));
        assertThat(successor.recoverAll().recovered()).containsExactlyInAnyOrder("nap-2", "busy-1");

        assertThat(successor.handle("busy-1").result(Gate.patience())).isEqualTo("done x");
        assertThat(fixture.events(EngineEvent.WorkflowRecovered.class)).extracting(EngineEvent::workflowId).containsExactly("busy-1");
        assertThat(fixture.events(EngineEvent.WorkflowWoken.class)).singleElement().satisfies(woken -> {
            assertThat(woken.workflowId()).isEqualTo("nap-2");
            assertThat(woken.reason()).isEqualTo(WakeReason.ENGINE_START);
        });
    }

    @Test
    void aRunRecoveredOnAnotherNodeDoesNotRepeatItsLogLinesFromBeforeTheCrash() {
        // The sleep is too short to park: the run is interrupted with its timer in memory.
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(nap).parkAfter(Duration.ofHours(2)));
        try (LogCapture log = LogCapture.of(WORKFLOW_LOG, Level.INFO)) {
            crashed.start("nap", "bo", StartOptions.withId("nap-3"));
            fixture.awaitPendingTimers(1);
            crashed.close();
            WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(nap));
            recovered.recoverAll();
            fixture.awaitPendingTimers(1);
            fixture.clock().advance(Duration.ofHours(1));

            assertThat(recovered.handle("nap-3").result(Gate.patience())).isEqualTo("rested");
            assertThat(log.messages(Level.INFO)).containsExactly("bo goes to sleep", "bo woke up");
        }
        assertThat(fixture.events(EngineEvent.WorkflowRecovered.class)).extracting(EngineEvent::workflowId).containsExactly("nap-3");
    }
}
