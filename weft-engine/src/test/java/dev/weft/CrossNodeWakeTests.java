package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.testing.TestDatabase;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A signal accepted by one node for a run that another node parked: with periodic adoption off,
 * nothing but the accepting node can take the run up, and it does so at once. And one for a run
 * that another node is driving: with a lease of an hour, that node's regular poll (every twenty
 * minutes) cannot be what brings it; PostgreSQL's notification does, or elsewhere the short poll.
 */
class CrossNodeWakeTests {

    private final AtomicInteger approvals = new AtomicInteger();
    private EngineFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private WeftEngine engine(String node) {
        return engine(node, Duration.ZERO);
    }

    private WeftEngine engine(String node, Duration parkAfter) {
        return fixture.engine(node, builder -> builder
                .parkAfter(parkAfter)
                .lease(Duration.ofHours(1))
                .workflow(WorkflowDefinition.of("approval", String.class, String.class, (ctx, input) -> {
                    // a wait shorter than parkAfter is held in memory; a longer one parks the run
                    String by = ctx.awaitSignal("approve", String.class, Duration.ofMinutes(30)).orElse("nobody");
                    return ctx.run("record", input + " approved by " + by, String.class);
                }))
                .activity(ActivityDefinition.of("record", String.class, String.class, (input, context) -> {
                    approvals.incrementAndGet();
                    return input;
                })));
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aSignalThroughAnotherNodeTakesUpTheRunItsParkerLeft(TestDatabase database) {
        fixture = new EngineFixture(database);
        WeftEngine parker = engine("parker");
        WeftEngine other = engine("other");
        WorkflowHandle<Object> run = parker.start("approval", "trip");
        await().atMost(Gate.patience()).until(() -> parker.parkedRunCount() == 1);

        assertThat(other.signal(run.id(), "approve", "ada")).isTrue();

        assertThat(other.handle(run.id()).result(Gate.patience())).isEqualTo("trip approved by ada");
        assertThat(approvals).hasValue(1);
        assertThat(fixture.events(EngineEvent.WorkflowWoken.class)).singleElement().satisfies(woken -> {
            assertThat(woken.workflowId()).isEqualTo(run.id());
            assertThat(woken.reason()).isEqualTo(EngineEvent.WakeReason.REQUEST);
        });
    }

    /** Starts a run on {@code owner} and waits until it waits for its signal in memory, not parked. */
    private static WorkflowHandle<Object> startHeldBy(WeftEngine owner) {
        WorkflowHandle<Object> run = owner.start("approval", "trip");
        await().atMost(Gate.patience()).until(() -> owner.activeRunCount() == 1);
        assertThat(owner.parkedRunCount()).isZero();
        return run;
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aSignalThroughAnotherNodeReachesTheRunItsOwnerIsDriving(TestDatabase database) {
        fixture = new EngineFixture(database);
        WeftEngine owner = engine("owner", Duration.ofHours(1));
        WeftEngine other = engine("other", Duration.ofHours(1));
        WorkflowHandle<Object> run = startHeldBy(owner);

        assertThat(other.signal(run.id(), "approve", "bo")).isTrue();

        assertThat(other.handle(run.id()).result(Gate.patience())).isEqualTo("trip approved by bo");
        assertThat(fixture.newStore().findRun(run.id()).orElseThrow().epoch()).as("never taken from its owner").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(names = {"H2", "POSTGRESQL", "MARIADB"})
    void aCancellationThroughAnotherNodeEndsTheRunItsOwnerIsDriving(TestDatabase database) {
        fixture = new EngineFixture(database);
        WeftEngine owner = engine("owner", Duration.ofHours(1));
        WeftEngine other = engine("other", Duration.ofHours(1));
        WorkflowHandle<Object> run = startHeldBy(owner);

        assertThat(other.cancel(run.id())).isTrue();

        await().atMost(Gate.patience()).until(() -> run.status() == WorkflowStatus.CANCELLED);
        // the row says cancelled a moment before the owner's execution has wound down
        await().atMost(Gate.patience()).until(() -> owner.activeRunCount() == 0);
        assertThat(approvals).hasValue(0);
    }
}
