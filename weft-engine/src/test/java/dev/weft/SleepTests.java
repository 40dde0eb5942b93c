package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.event.EngineEvent;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SleepTests {

    private final EngineFixture fixture = EngineFixture.h2();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static final WorkflowDefinition<String, String> NAP = WorkflowDefinition.of("nap", String.class, String.class,
            (context, input) -> {
                context.sleep(Duration.ofHours(1));
                return "woke at " + context.now();
            });

    @Test
    void aSleepEndsWhenItsTimeComes() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(NAP));
        WorkflowHandle<Object> handle = engine.start("nap", "x");
        fixture.awaitPendingTimers(1);

        fixture.clock().advance(Duration.ofMinutes(59));
        assertThat(handle.status()).isEqualTo(WorkflowStatus.RUNNING);
        fixture.clock().advance(Duration.ofMinutes(1));

        assertThat(handle.result(Gate.patience())).isEqualTo("woke at " + EngineFixture.START.plus(Duration.ofHours(1)));
    }

    @Test
    void theTimerSurvivesARestartAndKeepsItsOriginalDueTime() {
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(NAP));
        crashed.start("nap", "x", StartOptions.withId("nap-1"));
        fixture.awaitPendingTimers(1);
        crashed.close();
        fixture.awaitPendingTimers(0);
        fixture.clock().advance(Duration.ofMinutes(30));

        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(NAP));
        recovered.recoverAll();
        fixture.awaitPendingTimers(1);
        assertThat(fixture.clock().nextDue()).contains(EngineFixture.START.plus(Duration.ofHours(1)));
        fixture.clock().advance(Duration.ofMinutes(30));

        assertThat(recovered.handle("nap-1").result(Gate.patience())).isEqualTo("woke at " + EngineFixture.START.plus(Duration.ofHours(1)));
        assertThat(fixture.journal("nap-1")).filteredOn(entry -> entry.kind() == EntryKind.SLEEP).singleElement()
                .satisfies(sleep -> assertThat(sleep.state()).isEqualTo(EntryState.COMPLETED));
    }

    @Test
    void aTimerAlreadyDueAtRecoveryFiresAtOnce() {
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(NAP));
        crashed.start("nap", "x", StartOptions.withId("nap-2"));
        fixture.awaitPendingTimers(1);
        crashed.close();
        fixture.clock().advance(Duration.ofHours(3));

        WeftEngine recovered = fixture.engine("b", builder -> builder.workflow(NAP));
        recovered.recoverAll();

        assertThat(recovered.handle("nap-2").result(Gate.patience())).isEqualTo("woke at " + EngineFixture.START.plus(Duration.ofHours(3)));
    }

    @Test
    void aParkedSleepWokenExactlyAtItsDueTimeCompletesInsteadOfParkingAgain() {
        // parkAfter zero once parked a wait due right now: its timer fired at once, the replay parked it again, for ever
        WeftEngine engine = fixture.engine("a", builder -> builder.workflow(NAP).parkAfter(Duration.ZERO));
        WorkflowHandle<Object> handle = engine.start("nap", "x", StartOptions.withId("nap-3"));
        org.awaitility.Awaitility.await().until(() -> engine.parkedRunCount() == 1 && engine.activeRunCount() == 0);

        fixture.clock().advance(Duration.ofHours(1));

        assertThat(handle.result(Gate.patience())).isEqualTo("woke at " + EngineFixture.START.plus(Duration.ofHours(1)));
        // a timer waking a parked run is a wake-up, not a recovery: nothing was interrupted
        assertThat(fixture.events(EngineEvent.WorkflowRecovered.class)).isEmpty();
        assertThat(fixture.events(EngineEvent.WorkflowWoken.class)).singleElement()
                .satisfies(woken -> assertThat(woken.reason()).isEqualTo(EngineEvent.WakeReason.TIMER));
    }
}
