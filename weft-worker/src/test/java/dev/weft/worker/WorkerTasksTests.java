package dev.weft.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.weft.worker.protocol.ServerMessage;
import dev.weft.worker.protocol.WorkerMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.StringNode;

/**
 * A worker's tasks against a send function that records results: the concurrency bound, the tasks
 * that wait for a slot (sent by a node that does not know of the tasks still running), and drain.
 */
class WorkerTasksTests {

    private final BlockingQueue<WorkerMessage.TaskResult> results = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger started = new AtomicInteger();
    private final RemoteActivity hold = (input, context) -> {
        started.incrementAndGet();
        release.await();
        return "done " + input.stringValue();
    };
    private final WorkerTasks tasks = new WorkerTasks(Map.of("hold", hold), 2,
            message -> results.add((WorkerMessage.TaskResult) message), () -> { });

    @AfterEach
    void letEverythingFinish() {
        release.countDown();
    }

    private static ServerMessage.Task task(String operationId) {
        return new ServerMessage.Task(operationId, "hold", StringNode.valueOf(operationId), 1, Map.of("weft-run-id", "run-1"));
    }

    private WorkerMessage.TaskResult nextResult() throws InterruptedException {
        WorkerMessage.TaskResult result = results.poll(10, TimeUnit.SECONDS);
        assertThat(result).as("a result within 10 s").isNotNull();
        return result;
    }

    @Test
    void aTaskSentWhileEverySlotIsTakenWaitsForOneAndThenRuns() throws Exception {
        tasks.start(task("a"));
        tasks.start(task("b"));
        tasks.start(task("c"));

        assertThat(tasks.running()).isEqualTo(2);
        assertThat(tasks.waiting()).isOne();
        assertThat(results).isEmpty();
        release.countDown();

        assertThat(List.of(nextResult(), nextResult(), nextResult()))
                .extracting(WorkerMessage.TaskResult::operationId, WorkerMessage.TaskResult::status)
                .containsExactlyInAnyOrder(tuple("a", WorkerMessage.Status.COMPLETED),
                        tuple("b", WorkerMessage.Status.COMPLETED),
                        tuple("c", WorkerMessage.Status.COMPLETED));
        assertThat(started).hasValue(3);
    }

    @Test
    void beyondAsManyWaitingTasksAsSlotsATaskIsGivenBack() throws Exception {
        for (String id : new String[] { "a", "b", "c", "d" }) {
            tasks.start(task(id));
        }

        tasks.start(task("e"));

        WorkerMessage.TaskResult refused = nextResult();
        assertThat(refused.operationId()).isEqualTo("e");
        assertThat(refused.status()).isEqualTo(WorkerMessage.Status.CANCELLED);
        assertThat(tasks.waiting()).isEqualTo(2);
    }

    @Test
    void aWaitingTaskThatIsCancelledIsGivenBackAndNeverRuns() throws Exception {
        tasks.start(task("a"));
        tasks.start(task("b"));
        tasks.start(task("c"));

        tasks.cancel("c");

        WorkerMessage.TaskResult cancelled = nextResult();
        assertThat(cancelled.operationId()).isEqualTo("c");
        assertThat(cancelled.status()).isEqualTo(WorkerMessage.Status.CANCELLED);
        release.countDown();
        assertThat(List.of(nextResult(), nextResult())).extracting(WorkerMessage.TaskResult::operationId)
                .containsExactlyInAnyOrder("a", "b");
        assertThat(started).hasValue(2);
    }

    @Test
    void drainingGivesBackTheWaitingTasksAndLetsTheRunningOnesFinish() throws Exception {
        tasks.start(task("a"));
        tasks.start(task("b"));
        tasks.start(task("c"));
        Thread drainer = Thread.ofVirtual().start(() -> tasks.drain(Duration.ofSeconds(20)));

        WorkerMessage.TaskResult givenBack = nextResult();
        assertThat(givenBack.operationId()).isEqualTo("c");
        assertThat(givenBack.status()).isEqualTo(WorkerMessage.Status.CANCELLED);
        tasks.start(task("d"));
        assertThat(nextResult().operationId()).as("a task sent while draining is given back").isEqualTo("d");
        release.countDown();
        assertThat(drainer.join(Duration.ofSeconds(10))).isTrue();

        assertThat(List.of(nextResult(), nextResult())).extracting(WorkerMessage.TaskResult::status)
                .containsOnly(WorkerMessage.Status.COMPLETED);
        assertThat(started).hasValue(2);
    }
}
