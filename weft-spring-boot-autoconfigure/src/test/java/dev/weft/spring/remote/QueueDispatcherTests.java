package dev.weft.spring.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.worker.protocol.Protocol;
import dev.weft.worker.protocol.WorkerMessage;
import dev.weft.queue.EagerTaker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * One dispatch pass, without its thread: whether it tells the loop to claim again at once. A claim
 * that left slots free found the queue empty; claiming again at once would cost a query that finds
 * nothing, once per task. And the slots reserved for tasks being enqueued: counted against the
 * claims, refused by draining workers, waiting for a claim that holds them.
 */
class QueueDispatcherTests {

    private static ConnectedWorker worker(String id, int concurrency, String... activities) {
        return worker(new SilentSocket(id), concurrency, activities);
    }

    private static ConnectedWorker worker(WorkerSocket socket, int concurrency, String... activities) {
        WorkerMessage.Register registration = new WorkerMessage.Register(Protocol.VERSION, socket.id(), List.of(activities),
                concurrency, "q", null, null, null, null, null, null);
        // a reservation waits for a claim as long as the test takes to let the claim go
        return new ConnectedWorker("q", registration, socket, Instant.now(), Duration.ofSeconds(30));
    }

    @Test
    void aPassThatFillsEverySlotTellsTheLoopToClaimAgain() {
        ScriptedBroker broker = new ScriptedBroker("op-1", "op-2");
        QueueDispatcher dispatcher = new QueueDispatcher("q", broker);
        dispatcher.add(worker("w1", 2, "echo"));

        assertThat(dispatcher.dispatchOnce()).isEqualTo(new QueueDispatcher.Pass(2, true));
    }

    @Test
    void aPassThatLeavesSlotsFreeTellsTheLoopToWait() {
        ScriptedBroker broker = new ScriptedBroker("op-1");
        QueueDispatcher dispatcher = new QueueDispatcher("q", broker);
        dispatcher.add(worker("w1", 2, "echo"));

        assertThat(dispatcher.dispatchOnce()).isEqualTo(new QueueDispatcher.Pass(1, false));
        assertThat(broker.claims()).isOne();
    }

    @Test
    void aFreedSlotStartsAClaimOnlyWhenWorkMayWaitUnclaimed() {
        ScriptedBroker broker = new ScriptedBroker("op-1");
        QueueDispatcher dispatcher = new QueueDispatcher("q", broker);
        dispatcher.add(worker("w1", 2, "echo"));
        assertThat(dispatcher.workMayWait()).as("a worker came: its slots may have work").isTrue();

        dispatcher.dispatchOnce();
        assertThat(dispatcher.workMayWait()).as("the claim found one task for two slots: the queue is drained").isFalse();

        dispatcher.wake();
        assertThat(dispatcher.workMayWait()).as("work announced since").isTrue();
    }

    @Test
    void aClaimThatFillsEverySlotLeavesWorkThatMayWait() {
        ScriptedBroker broker = new ScriptedBroker("op-1", "op-2");
        QueueDispatcher dispatcher = new QueueDispatcher("q", broker);
        dispatcher.add(worker("w1", 2, "echo"));

        dispatcher.dispatchOnce();

        assertThat(dispatcher.workMayWait()).isTrue();
    }

    @Test
    void aPassWithNoFreeSlotClaimsNothing() {
        ScriptedBroker broker = new ScriptedBroker("op-1", "op-2");
        QueueDispatcher dispatcher = new QueueDispatcher("q", broker);
        dispatcher.add(worker("w1", 1, "echo"));
        dispatcher.dispatchOnce();

        assertThat(dispatcher.dispatchOnce()).isEqualTo(new QueueDispatcher.Pass(0, false));
        assertThat(broker.claims()).isOne();
    }

    @Test
    void aTaskNoFreeWorkerRunsIsGivenBackAndThePassTellsTheLoopToWait() {
        // w1 runs echo but has no free slot; w2 has one but runs only shout: the echo task claimed for it goes back
        ScriptedBroker broker = new ScriptedBroker("op-1", "op-2");
        QueueDispatcher dispatcher = new QueueDispatcher("q", broker);
        dispatcher.add(worker("w1", 1, "echo"));
        dispatcher.dispatchOnce();
        dispatcher.add(worker("w2", 1, "shout"));

        assertThat(dispatcher.dispatchOnce()).isEqualTo(new QueueDispatcher.Pass(0, false));
    }

    @Test
    void aSlotReservedForATaskBeingEnqueuedIsNotClaimedFor() {
        ScriptedBroker broker = new ScriptedBroker("op-1");
        QueueDispatcher dispatcher = new QueueDispatcher("q", broker);
        dispatcher.add(worker("w1", 1, "echo"));

        assertThat(dispatcher.reserve("run", "echo")).isNotNull();

        assertThat(dispatcher.dispatchOnce()).isEqualTo(new QueueDispatcher.Pass(0, false));
        assertThat(broker.claims()).isZero();
        assertThat(dispatcher.reserve("other run", "echo")).as("the only slot is reserved").isNull();
    }

    @Test
    void aDrainingWorkerOrOneThatDoesNotRunTheActivityIsReservedNoSlot() {
        QueueDispatcher dispatcher = new QueueDispatcher("q", new ScriptedBroker());
        ConnectedWorker draining = worker("w1", 2, "echo");
        draining.draining(true);
        dispatcher.add(draining);
        dispatcher.add(worker("w2", 2, "shout"));

        assertThat(dispatcher.reserve("run", "echo")).isNull();
    }

    @Test
    void aTaskTakenForAWorkerWhoseSocketClosedSinceIsReleasedNotAssigned() {
        ScriptedBroker broker = new ScriptedBroker();
        QueueDispatcher dispatcher = new QueueDispatcher("q", broker);
        ConnectedWorker worker = worker("w1", 2, "echo");
        dispatcher.add(worker);
        EagerTaker.Slot slot = dispatcher.reserve("run-of-op-1", "echo");

        worker.disconnected(null);
        slot.taken(ScriptedBroker.task("op-1"));

        assertThat(worker.inFlight()).isZero();
        assertThat(broker.released()).containsExactly("op-1");
    }

    @Test
    void aClaimedTaskWhoseSendFailedIsReleasedAtOnceAndItsSlotIsFreeAgain() {
        ScriptedBroker broker = new ScriptedBroker("op-1");
        QueueDispatcher dispatcher = new QueueDispatcher("q", broker);
        ConnectedWorker worker = worker(new BrokenSocket("w1"), 1, "echo");
        dispatcher.add(worker);

        assertThat(dispatcher.dispatchOnce()).as("nothing went out").isEqualTo(new QueueDispatcher.Pass(0, false));

        assertThat(worker.holds("op-1")).isFalse();
        assertThat(worker.free()).isOne();
        assertThat(broker.released()).containsExactly("op-1");
    }

    @Test
    void aTaskTakenForAWorkerWhoseSendFailsIsReleasedNotAssigned() {
        ScriptedBroker broker = new ScriptedBroker();
        QueueDispatcher dispatcher = new QueueDispatcher("q", broker);
        ConnectedWorker worker = worker(new BrokenSocket("w1"), 2, "echo");
        dispatcher.add(worker);
        EagerTaker.Slot slot = dispatcher.reserve("run-of-op-1", "echo");

        slot.taken(ScriptedBroker.task("op-1"));

        assertThat(worker.inFlight()).isZero();
        assertThat(worker.free()).isEqualTo(2);
        assertThat(broker.released()).containsExactly("op-1");
    }

    @Test
    void aTaskSentToAWorkerStaysAssignedToIt() {
        ScriptedBroker broker = new ScriptedBroker("op-1");
        QueueDispatcher dispatcher = new QueueDispatcher("q", broker);
        ConnectedWorker worker = worker("w1", 1, "echo");
        dispatcher.add(worker);

        dispatcher.dispatchOnce();

        assertThat(worker.holds("op-1")).isTrue();
        assertThat(broker.released()).isEmpty();
    }

    @Test
    void aReservationWaitsForAClaimThatHoldsTheSlotsAndGetsTheSlotItLeft() throws Exception {
        assertThat(reservedWhileAClaimHoldsTheSlot()).as("the claim found nothing: its slot is free again").isNotNull();
    }

    @Test
    void aReservationThatWaitedForAClaimThatFilledTheSlotGetsNone() throws Exception {
        assertThat(reservedWhileAClaimHoldsTheSlot("op-1")).as("the task waiting in the queue went first").isNull();
    }

    /**
     * A reservation made while a claim holds the only slot (the claim finds {@code queued}): it
     * waits for the claim, which is let go once the reservation is seen waiting; returns its slot.
     */
    private static EagerTaker.@Nullable Slot reservedWhileAClaimHoldsTheSlot(String... queued) throws Exception {
        CountDownLatch claiming = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        ScriptedBroker broker = new ScriptedBroker(queued).duringClaim(() -> {
            claiming.countDown();
            awaitQuietly(letGo);
        });
        QueueDispatcher dispatcher = new QueueDispatcher("q", broker);
        dispatcher.add(worker("w1", 1, "echo"));
        Thread pass = Thread.ofPlatform().start(dispatcher::dispatchOnce);
        claiming.await();
        AtomicReference<EagerTaker.Slot> reserved = new AtomicReference<>();

        Thread enqueuing = Thread.ofPlatform().start(() -> reserved.set(dispatcher.reserve("run", "echo")));

        Awaitility.await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(5))
                .until(() -> enqueuing.getState() == Thread.State.TIMED_WAITING);
        letGo.countDown();
        pass.join();
        enqueuing.join();
        return reserved.get();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A socket whose connection broke: every send fails, and its close has not reached the hub yet. */
    private record BrokenSocket(String id) implements WorkerSocket {

        @Override
        public boolean send(String text) {
            return false;
        }

        @Override
        public void close(int code, String reason) {
        }
    }

    private record SilentSocket(String id) implements WorkerSocket {

        @Override
        public boolean send(String text) {
            return true;
        }

        @Override
        public void close(int code, String reason) {
        }
    }
}
