package dev.weft.bench;

import dev.weft.worker.RemoteWorker;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A worker JVM of W8: the plain-Java worker library connected to the engine node over WebSocket,
 * running {@link RemoteThroughput#NOOP}, which answers how long its task took to arrive (see
 * {@link WallClock}). Prints {@code REGISTERED} once the node accepted it, then serves until the
 * parent ends it. Arguments: server URL, queue, worker id, concurrency.
 */
final class RemoteWorkerChild {

    static final String COMMAND = "w8-worker";

    private RemoteWorkerChild() {
    }

    static void main(String[] args) throws InterruptedException {
        RemoteWorker worker = RemoteWorker.builder().server(args[0]).queue(args[1]).workerId(args[2])
                .concurrency(Integer.parseInt(args[3]))
                .activity(RemoteThroughput.NOOP, (calledAt, context) -> WallClock.microsSince(calledAt.longValue()))
                .build().start();
        while (!worker.isRegistered()) {
            Benchmarks.pause(Duration.ofMillis(5));
        }
        System.out.println("REGISTERED");
        System.out.flush();
        // the parent kills this process when its trial ends
        new CountDownLatch(1).await();
    }
}
