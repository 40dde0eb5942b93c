package dev.weft.spring.remote;

import static dev.weft.spring.remote.RemoteWorkerScenariosBase.completed;
import static dev.weft.spring.remote.RemoteWorkerScenariosBase.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.weft.failure.StoreException;
import dev.weft.time.TimeSource;
import dev.weft.worker.protocol.ServerMessage;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;

/**
 * How the hub writes results, over a broker without a database: a socket's results are written
 * side by side rather than one commit after another, a result frees its worker's slot before its
 * write ends, and a write that failed is refused, not tried again: the store writes a deadlock
 * victim again itself ({@code TaskOutcomeLockFailureIntegrationTests}), and a failure it gives up
 * on is its answer.
 */
class RemoteWorkerHubTests {

    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private RemoteWorkerHub hub;

    private RecordingSocket registeredWorker(ScriptedBroker broker) {
        hub = new RemoteWorkerHub(broker, TimeSource.system(),
                new RemoteWorkerSettings(Duration.ZERO, Duration.ofSeconds(30), Duration.ZERO, 64 * 1024));
        RecordingSocket socket = RecordingSocket.open(hub, "q").frame(register("w1", "echo"));
        socket.await(ServerMessage.RegisterAck.class);
        return socket;
    }

    @AfterEach
    void closeHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aSocketsSecondResultIsWrittenWhileItsFirstIsStillBeingWritten() {
        CountDownLatch bothWriting = new CountDownLatch(2);
        // each write is accepted only if the other one is in flight too: written one after another, the first gives up
        ScriptedBroker broker = new ScriptedBroker("op-1", "op-2").completion(operationId -> {
            bothWriting.countDown();
            return await(bothWriting);
        });
        RecordingSocket worker = registeredWorker(broker);
        worker.await(ServerMessage.Task.class, 2);

        worker.frame(completed("op-1", "1"));
        worker.frame(completed("op-2", "2"));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> broker.completed().size() == 2);
        assertThat(broker.completed()).containsOnly(entry("op-1", true), entry("op-2", true));
        assertThat(worker.messages(ServerMessage.ProtocolError.class)).isEmpty();
    }

    @Test
    void aResultFreesItsSlotForTheNextTaskBeforeItsWriteEnds() {
        CountDownLatch commit = new CountDownLatch(1);
        ScriptedBroker broker = new ScriptedBroker("op-1", "op-2", "op-3").completion(operationId -> await(commit));
        RecordingSocket worker = registeredWorker(broker);
        worker.await(ServerMessage.Task.class, 2);

        worker.frame(completed("op-1", "1"));

        // the worker's concurrency is 2: the third task goes out while the first one's write still waits
        assertThat(worker.await(ServerMessage.Task.class, 3).operationId()).isEqualTo("op-3");
        assertThat(broker.completed()).isEmpty();
        commit.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> broker.completed().containsKey("op-1"));
        assertThat(hub.workers()).singleElement().satisfies(info -> assertThat(info.inFlight()).isEqualTo(2));
    }

    @Test
    void aResultTheBrokerRefusesIsAnsweredWithAProtocolErrorAndTheSocketStaysOpen() {
        ScriptedBroker broker = new ScriptedBroker("op-1").completion(operationId -> false);
        RecordingSocket worker = registeredWorker(broker);
        worker.await(ServerMessage.Task.class);

        worker.frame(completed("op-1", "1"));

        assertThat(worker.await(ServerMessage.ProtocolError.class).message()).contains("op-1", "was not adopted");
        assertThat(worker.closeCode()).isNull();
        assertThat(hub.workers()).singleElement().satisfies(info -> assertThat(info.inFlight()).isZero());
    }

    @Test
    void aResultWhoseWriteTheStoreGaveUpAsADeadlockVictimIsNotWrittenAgainAndIsRefused() {
        AtomicInteger tries = new AtomicInteger();
        ScriptedBroker broker = new ScriptedBroker("op-1").completion(operationId -> {
            tries.incrementAndGet();
            throw new StoreException("Could not write the outcome", new PessimisticLockingFailureException("deadlock detected"));
        });
        RecordingSocket worker = registeredWorker(broker);
        worker.await(ServerMessage.Task.class);

        worker.frame(completed("op-1", "1"));

        assertThat(worker.await(ServerMessage.ProtocolError.class).message()).contains("op-1", "was not adopted");
        assertThat(tries).hasValue(1);
    }

    @Test
    void aResultWhoseWriteFailsForAnotherReasonIsNotWrittenAgainAndIsRefused() {
        AtomicInteger tries = new AtomicInteger();
        ScriptedBroker broker = new ScriptedBroker("op-1").completion(operationId -> {
            tries.incrementAndGet();
            throw new StoreException("Could not write the outcome", new DataAccessResourceFailureException("connection refused"));
        });
        RecordingSocket worker = registeredWorker(broker);
        worker.await(ServerMessage.Task.class);

        worker.frame(completed("op-1", "1"));

        assertThat(worker.await(ServerMessage.ProtocolError.class).message()).contains("op-1", "was not adopted");
        assertThat(tries).hasValue(1);
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
