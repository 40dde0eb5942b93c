package dev.weft.spring.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.worker.protocol.Protocol;
import dev.weft.worker.protocol.WorkerMessage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One dispatch pass, without its thread: whether it tells the loop to claim again at once. A claim
 * that left slots free found the queue empty; claiming again at once would cost a query that finds
 * nothing, once per task.
 */
class QueueDispatcherTests {

    private static ConnectedWorker worker(String id, int concurrency, String... activities) {
        WorkerMessage.Register registration = new WorkerMessage.Register(Protocol.VERSION, id, List.of(activities), concurrency, "q",
                null, null, null, null, null, null);
        return new ConnectedWorker("q", registration, new SilentSocket(id), Instant.now());
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
