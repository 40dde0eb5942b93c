package dev.weft.spring.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.event.EngineListener;
import dev.weft.queue.QueueOptions;
import dev.weft.queue.TaskBroker;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.TimeSource;
import dev.weft.worker.protocol.ServerMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Eager dispatch to remote workers against a real engine and database: a task enqueued while a
 * connected worker that runs it has a free slot is written already claimed for that worker and sent
 * to it without a claim; a queue that is not plain, a draining worker, or none with a slot leaves
 * the task to the claims; a worker gone between the reservation and the hand-over loses nothing.
 * One subclass per database.
 */
abstract class EagerDispatchScenarios extends RemoteWorkerScenariosBase {

    private CountingBroker broker;

    @Override
    protected TaskBroker broker() {
        broker = new CountingBroker(engine.taskBroker());
        return broker;
    }

    /** Long enough that a test sees a worker within its grace; the tests that drop a worker register it again. */
    @Override
    protected Duration reconnectGrace() {
        return Duration.ofSeconds(5);
    }

    /** The engine and its queue's row outlive a test: settings a test changed are undone. */
    @AfterEach
    void resetQueue() {
        engine.queues().resume(QUEUE);
        engine.queues().configure(QUEUE, QueueOptions.defaults());
    }

    /** The queue's tasks as the database holds them: claim token (or null), by run. */
    private Map<String, String> claimTokens() {
        return JdbcClient.create(dataSource).sql("select run_id, claim_token from " + prefix + "task")
                .query((rs, row) -> new String[] { rs.getString("run_id"), String.valueOf(rs.getString("claim_token")) }).list()
                .stream().collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
    }

    @Test
    void anIdleWorkersTaskIsWrittenClaimedForItAndSentWithoutAClaim() {
        List<EngineEvent.ActivityStarted> started = new CopyOnWriteArrayList<>();
        EngineListener listener = EngineListener.of(EngineEvent.ActivityStarted.class, started::add);
        engine.addListener(listener);
        try {
            RecordingSocket worker = registered("w1", "echo");

            WorkflowHandle<Object> run = start("hello");

            ServerMessage.Task task = worker.await(ServerMessage.Task.class);
            assertThat(claimTokens()).as("the row was written claimed under the token the worker got")
                    .containsEntry(run.id(), task.operationId());
            assertThat(broker.claimed()).as("tasks that claims returned").isZero();
            assertThat(started).filteredOn(event -> event.workflowId().equals(run.id())).singleElement()
                    .satisfies(event -> assertThat(event.activityName()).isEqualTo("echo"));
            worker.frame(completed(task.operationId(), "\"eager\""));
            assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("eager");
            assertThat(broker.claimed()).isZero();
        } finally {
            engine.removeListener(listener);
        }
    }

    @Test
    void aRunsNextTaskIsTakenEagerlyForTheWorkerThatRanItsPreviousOne() {
        runsTwiceOnTheWorkerThatRanItsFirstTask();

        assertThat(broker.claimed()).as("both tasks taken at their enqueue").isZero();
    }

    @Test
    void aPausedQueueRefusesTheOfferAndItsTaskIsClaimedOnceResumed() {
        RecordingSocket worker = registered("w1", "echo");
        engine.queues().pause(QUEUE);

        WorkflowHandle<Object> run = start("hello");

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> claimTokens().get(run.id()) != null);
        assertThat(claimTokens()).as("written unclaimed").containsEntry(run.id(), "null");
        assertThat(worker.messages(ServerMessage.Task.class)).isEmpty();
        engine.queues().resume(QUEUE);
        ServerMessage.Task task = worker.await(ServerMessage.Task.class);
        assertThat(broker.claimed()).as("claimed as before eager dispatch").isOne();
        worker.frame(completed(task.operationId(), "\"claimed\""));
        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("claimed");
    }

    @Test
    void aQueueWithAClusterWideLimitRefusesTheOfferAndItsTaskIsClaimedWithinTheLimit() {
        engine.queues().configure(QUEUE, QueueOptions.defaults().withMaxInFlight(5));
        RecordingSocket worker = registered("w1", "echo");

        WorkflowHandle<Object> run = start("hello");

        ServerMessage.Task task = worker.await(ServerMessage.Task.class);
        assertThat(broker.claimed()).isOne();
        worker.frame(completed(task.operationId(), "\"limited\""));
        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("limited");
    }

    @Test
    void aDrainingWorkerIsNotOfferedATask() {
        RecordingSocket draining = registered("w1", "echo");
        hub.drain("w1", true);

        WorkflowHandle<Object> run = start("hello");

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> claimTokens().get(run.id()) != null);
        assertThat(claimTokens()).as("written unclaimed").containsEntry(run.id(), "null");
        RecordingSocket other = registered("w2", "echo");
        ServerMessage.Task task = other.await(ServerMessage.Task.class);
        assertThat(broker.claimed()).isOne();
        other.frame(completed(task.operationId(), "\"from w2\""));
        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("from w2");
        assertThat(draining.messages(ServerMessage.Task.class)).isEmpty();
    }

    @Test
    void aWorkerThatLeavesWithinItsGraceAfterTheReservationGetsNothingAndTheClaimIsReleasedAtOnce() {
        RecordingSocket leaving = registered("w1", "echo");
        WorkflowHandle<Object> first = start("one");
        ServerMessage.Task held = leaving.await(ServerMessage.Task.class);
        // the second run's task is reserved w1's other slot, and w1's connection drops before the task is written
        broker.afterReserve(runId -> leaving.drop());

        WorkflowHandle<Object> second = start("two");

        awaitReleasedAfterAnEagerClaim(second);
        assertThat(hub.workers()).singleElement().satisfies(worker -> assertThat(worker.inFlight()).as("only its task from before")
                .isOne());
        assertThat(leaving.messages(ServerMessage.Task.class)).containsExactly(held);
        broker.afterReserve(runId -> {
        });
        int claimedBefore = broker.claimed();
        RecordingSocket back = registered("w1", "echo");
        ServerMessage.Task claimed = back.await(ServerMessage.Task.class);
        assertThat(claimed.input().stringValue()).isEqualTo("two");
        assertThat(broker.claimed() - claimedBefore).as("the released task claimed as any other").isOne();
        back.frame(completed(held.operationId(), "\"kept one\"")).frame(completed(claimed.operationId(), "\"claimed two\""));
        assertThat(first.result(Duration.ofSeconds(20))).isEqualTo("kept one");
        assertThat(second.result(Duration.ofSeconds(20))).isEqualTo("claimed two");
    }

    @Test
    void anIdleWorkerThatLeavesAfterTheReservationGetsNothingAndTheClaimIsReleasedAtOnce() {
        RecordingSocket leaving = registered("w1", "echo");
        broker.afterReserve(runId -> leaving.drop());

        WorkflowHandle<Object> run = start("hello");

        awaitReleasedAfterAnEagerClaim(run);
        assertThat(hub.workers()).as("forgotten at once: it held no task").isEmpty();
        assertThat(leaving.messages(ServerMessage.Task.class)).isEmpty();
        broker.afterReserve(runId -> {
        });
        RecordingSocket other = registered("w2", "echo");
        ServerMessage.Task task = other.await(ServerMessage.Task.class);
        other.frame(completed(task.operationId(), "\"from w2\""));
        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("from w2");
    }

    @Test
    void aTaskTakenForAWorkerWhoseSendFailedRunsOnceSoonOnTheWorkerRegisteredAgainWithinTheGrace() {
        // how many tasks claims had returned at each failed send: none at the first, the task taken at its enqueue
        List<Integer> claimedAtFailures = new CopyOnWriteArrayList<>();
        RecordingSocket breaking = RecordingSocket.open(hub, QUEUE).failingTaskSends(() -> claimedAtFailures.add(broker.claimed()))
                .frame(register("w1", "echo"));
        breaking.await(ServerMessage.RegisterAck.class);

        WorkflowHandle<Object> run = start("hello");

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !claimedAtFailures.isEmpty());
        assertThat(claimedAtFailures.getFirst()).as("the failed send was the eager hand-over's").isZero();
        runsOnceOnTheWorkerRegisteredAgain(breaking, run);
    }

    @Test
    void thisNodesPoolOfTheQueueIsOfferedTheTaskFirstAndARemoteWorkerOnceThePoolIsFull() throws Exception {
        CountDownLatch letGo = new CountDownLatch(1);
        List<String> ranInProcess = new CopyOnWriteArrayList<>();
        ActivityDefinition<String, String> echo = ActivityDefinition.of("echo", String.class, String.class, (input, context) -> {
            ranInProcess.add(input);
            letGo.await();
            return "in-process " + input;
        });
        try (WeftEngine pooled = WeftEngine.builder().store(JdbcWorkflowStore.builder(dataSource).tablePrefix(prefix).build())
                .nodeId("pooled-" + prefix).adoptionInterval(Duration.ZERO).workflow(pipeline()).activity(echo)
                .activity(named("shout")).queue(QUEUE, QueueOptions.concurrency(1)).build();
                RemoteWorkerHub pooledHub = new RemoteWorkerHub(pooled.taskBroker(), TimeSource.system(),
                        new RemoteWorkerSettings(GRACE, Duration.ofSeconds(30), Duration.ZERO, 64 * 1024))) {
            RecordingSocket worker = RecordingSocket.open(pooledHub, QUEUE).frame(register("r1", "echo"));
            worker.await(ServerMessage.RegisterAck.class);

            WorkflowHandle<Object> first = pooled.start("pipeline", "one");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> ranInProcess.contains("one"));
            WorkflowHandle<Object> second = pooled.start("pipeline", "two");

            ServerMessage.Task task = worker.await(ServerMessage.Task.class);
            assertThat(task.input().stringValue()).isEqualTo("two");
            assertThat(ranInProcess).containsExactly("one");
            worker.frame(completed(task.operationId(), "\"remote two\""));
            letGo.countDown();
            assertThat(first.result(Duration.ofSeconds(20))).isEqualTo("in-process one");
            assertThat(second.result(Duration.ofSeconds(20))).isEqualTo("remote two");
        } finally {
            letGo.countDown();
        }
    }

    /**
     * Waits until the run's task was written claimed at its enqueue (one claim counted) and released
     * since (no token): not left to lapse, which keeps the token until the task is claimed again.
     */
    private void awaitReleasedAfterAnEagerClaim(WorkflowHandle<Object> run) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> JdbcClient.create(dataSource)
                .sql("select count(*) from " + prefix + "task where run_id = :run and claim_token is null and claims = 1")
                .param("run", run.id()).query(Integer.class).single() == 1);
    }
}
