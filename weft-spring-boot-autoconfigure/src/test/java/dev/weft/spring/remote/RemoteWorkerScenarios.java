package dev.weft.spring.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WorkflowHandle;
import dev.weft.WorkflowStatus;
import dev.weft.worker.protocol.Protocol;
import dev.weft.worker.protocol.ServerMessage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The worker scenarios of upstream Weft's protocol v1 against a real engine and database: the hub's
 * answers to each frame, the close codes, and what the workflow adopts. One subclass per database.
 */
abstract class RemoteWorkerScenarios extends RemoteWorkerScenariosBase {

    @Test
    void aRegisteredWorkerRunsTheTaskAndTheWorkflowAdoptsItsResult() {
        RecordingSocket worker = registered("w1", "echo", "shout");
        ServerMessage.RegisterAck ack = worker.messages(ServerMessage.RegisterAck.class).getFirst();
        assertThat(ack.queue()).isEqualTo(QUEUE);
        assertThat(ack.concurrency()).isEqualTo(2);

        WorkflowHandle<Object> run = start("hello");
        ServerMessage.Task task = worker.await(ServerMessage.Task.class);
        assertThat(task.activityName()).isEqualTo("echo");
        assertThat(task.input().stringValue()).isEqualTo("hello");
        assertThat(task.attempt()).isEqualTo(1);
        worker.frame(completed(task.operationId(), "\"hello from w1\""));

        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("hello from w1");
        assertThat(tasks()).isZero();
        assertThat(worker.closeCode()).isNull();
    }

    @Test
    void anUnsupportedProtocolVersionIsRefusedWithRegisterErrorAndClose1008() {
        RecordingSocket socket = RecordingSocket.open(hub, QUEUE)
                .frame("{\"type\":\"register\",\"protocolVersion\":3,\"workerId\":\"w\",\"activities\":[\"echo\"]}");

        ServerMessage.RegisterError error = socket.await(ServerMessage.RegisterError.class);
        assertThat(error.code()).isEqualTo(Protocol.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(error.supportedProtocolVersions()).containsExactly(1);
        assertThat(error.requestedProtocolVersion()).isEqualTo(3);
        assertThat(socket.closeCode()).isEqualTo(Protocol.CLOSE_POLICY_VIOLATION);
        assertThat(hub.workers()).isEmpty();
    }

    @Test
    void invalidRegistrationsAreRefusedWithRegisterErrorAndClose1008() {
        for (String frame : new String[] {
                "{\"type\":\"register\",\"protocolVersion\":1,\"workerId\":\"w\",\"activities\":[]}",
                "{\"type\":\"register\",\"protocolVersion\":1,\"workerId\":\"\",\"activities\":[\"echo\"]}",
                "{\"type\":\"register\",\"protocolVersion\":1,\"workerId\":\"w\",\"activities\":[\"echo\"],\"concurrency\":\"ten\"}",
                "{\"type\":\"register\",\"protocolVersion\":\"1\",\"workerId\":\"w\",\"activities\":[\"echo\"]}",
                "{\"type\":\"register\",\"protocolVersion\":1,\"workerId\":\"w\",\"activities\":[\"echo\"],\"queue\":\"other\"}" }) {
            RecordingSocket socket = RecordingSocket.open(hub, QUEUE).frame(frame);

            assertThat(socket.await(ServerMessage.RegisterError.class).code()).as(frame).isEqualTo(Protocol.INVALID_REGISTRATION);
            assertThat(socket.closeCode()).as(frame).isEqualTo(Protocol.CLOSE_POLICY_VIOLATION);
        }
        assertThat(hub.workers()).isEmpty();
    }

    @Test
    void concurrencyIsClampedToTheProtocolsBounds() {
        RecordingSocket socket = RecordingSocket.open(hub, QUEUE)
                .frame("{\"type\":\"register\",\"protocolVersion\":1,\"workerId\":\"w\",\"activities\":[\"echo\"],\"concurrency\":5000}");

        assertThat(socket.await(ServerMessage.RegisterAck.class).concurrency()).isEqualTo(Protocol.MAX_CONCURRENCY);
    }

    @Test
    void aHeartbeatOrResultBeforeRegistrationIsAProtocolErrorClosedWith1002() {
        RecordingSocket heartbeat = RecordingSocket.open(hub, QUEUE).frame("{\"type\":\"heartbeat\",\"workerId\":\"w\"}");
        RecordingSocket result = RecordingSocket.open(hub, QUEUE).frame(completed("op", "1"));

        for (RecordingSocket socket : new RecordingSocket[] { heartbeat, result }) {
            assertThat(socket.await(ServerMessage.ProtocolError.class).code()).isEqualTo(Protocol.REGISTRATION_REQUIRED);
            assertThat(socket.closeCode()).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
        }
        assertThat(hub.workers()).isEmpty();
    }

    @Test
    void malformedFramesGetTheirCodesAndClose1002() {
        String[][] cases = {
                { "not json", Protocol.INVALID_JSON },
                { "[1,2]", Protocol.INVALID_MESSAGE },
                { "{\"workerId\":\"w\"}", Protocol.INVALID_MESSAGE },
                { "{\"type\":\"dance\"}", Protocol.UNKNOWN_MESSAGE_TYPE } };
        for (String[] frame : cases) {
            RecordingSocket socket = RecordingSocket.open(hub, QUEUE).frame(frame[0]);

            assertThat(socket.await(ServerMessage.ProtocolError.class).code()).as(frame[0]).isEqualTo(frame[1]);
            assertThat(socket.closeCode()).as(frame[0]).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
        }
    }

    @Test
    void anInvalidTaskResultIsAProtocolErrorAndTheTaskStaysAssigned() {
        RecordingSocket worker = registered("w1", "echo");
        WorkflowHandle<Object> run = start("hello");
        ServerMessage.Task task = worker.await(ServerMessage.Task.class);

        worker.frame("{\"type\":\"taskResult\",\"operationId\":\"" + task.operationId() + "\",\"status\":\"completed\"}");

        assertThat(worker.await(ServerMessage.ProtocolError.class).code()).isEqualTo(Protocol.INVALID_MESSAGE);
        assertThat(worker.closeCode()).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
        assertThat(run.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(tasks()).isOne();
    }

    @Test
    void aResultForATaskReassignedAfterTheGraceIsRefusedAndTheNewWorkersResultIsAdopted() {
        RecordingSocket first = registered("w1", "echo");
        WorkflowHandle<Object> run = start("hello");
        ServerMessage.Task lost = first.await(ServerMessage.Task.class);

        first.drop();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.workers().isEmpty());
        RecordingSocket second = registered("w2", "echo");
        ServerMessage.Task again = second.await(ServerMessage.Task.class);
        assertThat(again.operationId()).isNotEqualTo(lost.operationId());
        RecordingSocket back = registered("w1", "echo");
        back.frame(completed(lost.operationId(), "\"stale\""));

        ServerMessage.ProtocolError refused = back.await(ServerMessage.ProtocolError.class);
        assertThat(refused.code()).isEqualTo(Protocol.INVALID_MESSAGE);
        assertThat(back.closeCode()).as("a stale result is refused, not a broken protocol").isNull();
        assertThat(run.status()).isEqualTo(WorkflowStatus.RUNNING);
        second.frame(completed(again.operationId(), "\"fresh\""));
        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("fresh");
    }

    @Test
    void aWorkerThatRegistersAgainWithinTheGraceKeepsItsTaskAndItsResultIsAdopted() {
        RecordingSocket first = registered("w1", "echo");
        WorkflowHandle<Object> run = start("hello");
        ServerMessage.Task task = first.await(ServerMessage.Task.class);

        first.drop();
        RecordingSocket back = registered("w1", "echo");
        assertThat(hub.workers()).singleElement().satisfies(worker -> assertThat(worker.inFlight()).isOne());
        back.frame(completed(task.operationId(), "\"kept\""));

        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("kept");
        assertThat(back.messages(ServerMessage.ProtocolError.class)).isEmpty();
    }

    @Test
    void aClaimedTaskWhoseSendFailedRunsOnceSoonOnTheWorkerRegisteredAgainWithinTheGrace() {
        WorkflowHandle<Object> run = start("hello");
        // no worker yet: the task waits in the queue, for the claim of the first pass once one registers
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> tasks() == 1);
        AtomicInteger failedSends = new AtomicInteger();
        RecordingSocket breaking = RecordingSocket.open(hub, QUEUE).failingTaskSends(failedSends::incrementAndGet)
                .frame(register("w1", "echo"));
        breaking.await(ServerMessage.RegisterAck.class);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> failedSends.get() >= 1);

        runsOnceOnTheWorkerRegisteredAgain(breaking, run);
        assertThat(tasks()).isZero();
    }

    @Test
    void aResultFromAnotherWorkerThanTheTasksIsRefusedAndChangesNothing() {
        RecordingSocket owner = registered("w1", "echo");
        WorkflowHandle<Object> run = start("hello");
        ServerMessage.Task task = owner.await(ServerMessage.Task.class);
        RecordingSocket other = registered("w2", "echo");

        other.frame(completed(task.operationId(), "\"stolen\""));

        assertThat(other.await(ServerMessage.ProtocolError.class).code()).isEqualTo(Protocol.INVALID_MESSAGE);
        assertThat(run.status()).isEqualTo(WorkflowStatus.RUNNING);
        owner.frame(completed(task.operationId(), "\"owned\""));
        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("owned");
    }

    @Test
    void aDrainingWorkerGetsNoNewTaskAndIsDrainedOnceItsTasksEnd() {
        RecordingSocket draining = registered("w1", "echo");
        WorkflowHandle<Object> first = start("one");
        ServerMessage.Task held = draining.await(ServerMessage.Task.class);
        assertThat(hub.drain("w1", true)).get().satisfies(worker -> assertThat(worker.health()).isEqualTo("draining"));
        RecordingSocket other = registered("w2", "echo");

        WorkflowHandle<Object> second = start("two");
        ServerMessage.Task next = other.await(ServerMessage.Task.class);
        other.frame(completed(next.operationId(), "\"two done\""));
        draining.frame(completed(held.operationId(), "\"one done\""));

        assertThat(second.result(Duration.ofSeconds(20))).isEqualTo("two done");
        assertThat(first.result(Duration.ofSeconds(20))).isEqualTo("one done");
        assertThat(draining.messages(ServerMessage.Task.class)).hasSize(1);
        assertThat(hub.workers()).filteredOn(worker -> worker.id().equals("w1")).singleElement()
                .satisfies(worker -> assertThat(worker.health()).isEqualTo("drained"));
    }

    @Test
    void aRunsNextActivityGoesToTheWorkerThatRanItsPreviousOne() {
        runsTwiceOnTheWorkerThatRanItsFirstTask();
    }

    @Test
    void aRunsNextActivityGoesToAnotherWorkerWhenItsStickyWorkerIsFull() {
        // only "a" runs echo, with one slot: it is full again (with the other run's echo) when the run's shout is routed
        RecordingSocket a = registered("a", 1, "echo", "shout");
        RecordingSocket b = registered("b", 2, "shout");
        WorkflowHandle<Object> run = start("twice");
        ServerMessage.Task echo = a.await(ServerMessage.Task.class);
        WorkflowHandle<Object> other = start("other");
        // the other run's echo waits in the queue before the run's shout exists: claims take the older task first
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> tasks() == 2);
        assertThat(b.messages(ServerMessage.Task.class)).as("b does not run echo").isEmpty();

        a.frame(completed(echo.operationId(), "\"twice echoed\""));

        ServerMessage.Task otherEcho = a.await(ServerMessage.Task.class, 2);
        assertThat(otherEcho.input().stringValue()).isEqualTo("other");
        ServerMessage.Task shout = b.await(ServerMessage.Task.class);
        assertThat(shout.activityName()).isEqualTo("shout");
        assertThat(shout.headers()).containsEntry("weft-run-id", run.id());
        b.frame(completed(shout.operationId(), "\"TWICE\""));
        a.frame(completed(otherEcho.operationId(), "\"other echoed\""));
        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("TWICE");
        assertThat(other.result(Duration.ofSeconds(20))).isEqualTo("other echoed");
        assertThat(a.messages(ServerMessage.Task.class)).hasSize(2);
    }

    @Test
    void aRunsNextActivityGoesToAnotherWorkerWhenItsStickyWorkerIsGone() {
        RecordingSocket a = registered("a", "echo", "shout");
        WorkflowHandle<Object> run = start("twice");
        ServerMessage.Task echo = a.await(ServerMessage.Task.class);
        RecordingSocket b = registered("b", "echo", "shout");

        a.frame(completed(echo.operationId(), "\"twice echoed\""));
        a.drop();

        // whether the shout reached "a" before its connection dropped or not, it runs on "b" (after the grace, if it did)
        shoutsOn(b, run);
    }

    @Test
    void aRunsNextActivityGoesToAnotherWorkerWhenItsStickyWorkerDrains() {
        RecordingSocket a = registered("a", "echo", "shout");
        WorkflowHandle<Object> run = start("twice");
        ServerMessage.Task echo = a.await(ServerMessage.Task.class);
        RecordingSocket b = registered("b", "echo", "shout");
        hub.drain("a", true);

        a.frame(completed(echo.operationId(), "\"twice echoed\""));

        shoutsOn(b, run);
        assertThat(a.messages(ServerMessage.Task.class)).hasSize(1);
    }

    /** The run's shout goes to {@code worker}, whose result the run adopts. */
    private static void shoutsOn(RecordingSocket worker, WorkflowHandle<Object> run) {
        ServerMessage.Task shout = worker.await(ServerMessage.Task.class);
        assertThat(shout.activityName()).isEqualTo("shout");
        worker.frame(completed(shout.operationId(), "\"TWICE from the other\""));
        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("TWICE from the other");
    }

    @Test
    void aTaskGoesOnlyToAWorkerThatRegisteredItsActivity() {
        RecordingSocket shouter = registered("s", "shout");
        WorkflowHandle<Object> run = start("hello");
        RecordingSocket echoer = registered("e", "echo");

        ServerMessage.Task task = echoer.await(ServerMessage.Task.class);
        echoer.frame(completed(task.operationId(), "\"echoed\""));

        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("echoed");
        assertThat(shouter.messages(ServerMessage.Task.class)).isEmpty();
    }

    @Test
    void aCancelledWorkflowsWorkerIsSentCancel() {
        RecordingSocket worker = registered("w1", "echo");
        WorkflowHandle<Object> run = start("hello");
        ServerMessage.Task task = worker.await(ServerMessage.Task.class);

        engine.cancel(run.id());

        assertThat(worker.await(ServerMessage.Cancel.class).operationId()).isEqualTo(task.operationId());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> run.status() == WorkflowStatus.CANCELLED);
    }

    @Test
    void aFailedResultFailsTheAttemptWithTheWorkersError() {
        RecordingSocket worker = registered("w1", "echo");
        WorkflowHandle<Object> run = start("hello");
        ServerMessage.Task task = worker.await(ServerMessage.Task.class);

        worker.frame("{\"type\":\"taskResult\",\"operationId\":\"" + task.operationId()
                + "\",\"status\":\"failed\",\"error\":\"Error: printer on fire\"}");

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> run.status() == WorkflowStatus.FAILED);
        assertThat(worker.messages(ServerMessage.ProtocolError.class)).isEmpty();
    }
}
