package dev.weft.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.testing.EngineFixture;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A worker JVM SIGKILLed while its pool runs queued activities: the workflows, driven by an engine
 * in this JVM that serves no queue, wait on; once the dead worker's claims have expired (its clock
 * stood still, the new worker's is a minute later), a fresh worker on another node claims the tasks
 * again and runs them, and each workflow adopts exactly one result, the new worker's, in the same
 * attempt.
 */
class QueueCrashIntegrationTests extends KilledWorkerTests {

    private static final Instant START = EngineFixture.START;
    private static final String QUEUE = "crash";
    private static final String QUEUED_STEP = "queued-step";
    private static final int RUNS = 5;

    /** One call of step1 on the queue, with a short visibility timeout. */
    private static WorkflowDefinition<String, String> queuedStep() {
        ActivityOptions options = ActivityOptions.builder().queue(QUEUE).visibilityTimeout(Duration.ofSeconds(2)).build();
        return WorkflowDefinition.of(QUEUED_STEP, String.class, String.class, (context, input) -> context.run("step1", input,
                String.class, options));
    }

    @Test
    void aTaskWhoseWorkerWasKilledRunsAgainElsewhereAndItsWorkflowAdoptsOneResult() {
        // the driver knows step1 (its options) but never runs it: it serves no queue
        WeftEngine driver = fixture.engine("driver", builder -> builder.workflow(queuedStep())
                .activity(ActivityDefinition.of("step1", String.class, String.class, (input, context) -> {
                    throw new IllegalStateException("step1 runs on the workers only");
                })));
        ChildWorker killed = child("worker-a", START, "queue=" + QUEUE, "gate=step1");
        List<WorkflowHandle<Object>> runs = new ArrayList<>();
        for (String id : runIds("queued", RUNS)) {
            runs.add(driver.start(QUEUED_STEP, id, StartOptions.withId(id)));
        }
        killed.awaitMarkers("GATED", RUNS);
        killed.kill();

        ChildWorker recovered = child("worker-b", START.plus(Duration.ofMinutes(1)), "queue=" + QUEUE);

        for (WorkflowHandle<Object> run : runs) {
            assertThat(run.result(ChildWorker.PATIENCE)).isEqualTo("step1(" + run.id() + ")");
            assertThat(executionsOf(run.id(), "step1")).as("executions of step1 in %s", run.id())
                    .satisfiesExactly(cut -> {
                        assertThat(cut.pid()).isEqualTo(killed.pid());
                        assertThat(cut.finished()).isFalse();
                    }, again -> {
                        assertThat(again.pid()).isEqualTo(recovered.pid());
                        assertThat(again.finished()).isTrue();
                        assertThat(again.attempt()).as("an expired claim is no new attempt").isEqualTo(1);
                    });
            JournalEntry step = store.loadJournal(run.id()).getFirst();
            assertThat(step.state()).isEqualTo(EntryState.COMPLETED);
            assertThat(step.attempt()).isEqualTo(1);
        }
        assertThat(schema.sql("select count(*) from %PREFIX%task").query(Integer.class).single()).as("tasks left").isZero();
    }
}
