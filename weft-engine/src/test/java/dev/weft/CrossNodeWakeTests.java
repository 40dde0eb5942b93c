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
 * nothing but the accepting node can take the run up, and it does so at once.
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
        return fixture.engine(node, builder -> builder
                .parkAfter(Duration.ZERO)
                .workflow(WorkflowDefinition.of("approval", String.class, String.class, (ctx, input) -> {
                    String by = ctx.awaitSignal("approve", String.class);
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
}
