package dev.weft.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import dev.weft.WorkflowStatus;
import dev.weft.activity.ActivityDefinition;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.testing.EngineFixture;
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
 * attempt. The same holds for tasks a node enqueued and claimed itself as it enqueued them (its
 * pool had free slots): the node restarted takes its runs up and claims their tasks again.
 */
class QueueCrashIntegrationTests extends KilledWorkerTests {

    private static final Instant START = EngineFixture.START;
    private static final String QUEUE = CrashWorkflows.QUEUE;
    private static final String QUEUED_STEP = CrashWorkflows.QUEUED_STEP;
    private static final int RUNS = 5;

    @Test
    void aTaskWhoseWorkerWasKilledRunsAgainElsewhereAndItsWorkflowAdoptsOneResult() {
        // the driver knows step1 (its options) but never runs it: it serves no queue
        WeftEngine driver = fixture.engine("driver", builder -> builder.workflow(CrashWorkflows.queuedStep())
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
            assertRanAgainAfterTheKill(run.id(), killed, recovered);
        }
        assertThat(schema.sql("select count(*) from %PREFIX%task").query(Integer.class).single()).as("tasks left").isZero();
    }

    @Test
    void aTaskItsOwnNodeClaimedAsItEnqueuedItRunsAgainWhenTheNodeIsKilledAndRestarted() {
        ChildWorker killed = child("worker-a", START, "queue=" + QUEUE, "gate=step1");
        List<String> ids = runIds("eager", RUNS);
        killed.send("start " + QUEUED_STEP + " " + String.join(" ", ids));
        killed.awaitMarkers("GATED", RUNS);
        // claimed by the node that enqueued them, and by nobody else before
        assertThat(schema.sql("select claimed_by, claims from %PREFIX%task").query((rs, row) -> rs.getString(1) + "/" + rs.getInt(2))
                .list()).hasSize(RUNS).containsOnly("worker-a/1");
        killed.kill();

        // the same node again, a minute later: it takes its runs up, and its pool claims their expired tasks
        ChildWorker recovered = child("worker-a", START.plus(Duration.ofMinutes(1)), "queue=" + QUEUE);
        assertThat(recovered.send("recover")).isEqualTo(Integer.toString(RUNS));

        awaitEnded(ids);
        for (String id : ids) {
            assertThat(store.findRun(id).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(store.findRun(id).orElseThrow().result()).isEqualTo("\"step1(" + id + ")\"");
            assertRanAgainAfterTheKill(id, killed, recovered);
        }
        assertThat(schema.sql("select count(*) from %PREFIX%task").query(Integer.class).single()).as("tasks left").isZero();
    }

    /** One execution cut by the kill, then one that finished on the recovered worker, in the same attempt; one result adopted. */
    private void assertRanAgainAfterTheKill(String runId, ChildWorker killed, ChildWorker recovered) {
        assertThat(executionsOf(runId, "step1")).as("executions of step1 in %s", runId)
                .satisfiesExactly(cut -> {
                    assertThat(cut.pid()).isEqualTo(killed.pid());
                    assertThat(cut.finished()).isFalse();
                }, again -> {
                    assertThat(again.pid()).isEqualTo(recovered.pid());
                    assertThat(again.finished()).isTrue();
                    assertThat(again.attempt()).as("an expired claim is no new attempt").isEqualTo(1);
                });
        JournalEntry step = store.loadJournal(runId).getFirst();
        assertThat(step.state()).isEqualTo(EntryState.COMPLETED);
        assertThat(step.attempt()).isEqualTo(1);
    }
}
