package dev.weft.spring.remote;

import dev.weft.worker.RemoteWorker;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A remote worker in a JVM of its own, to be SIGKILLed mid-task: it prints {@code STARTED <input>}
 * when its activity begins, then holds the task until it is killed.
 * Arguments: the server's base URL, the API key, the queue.
 */
public final class KilledWorkerMain {

    private KilledWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        RemoteWorker.builder().server(args[0]).apiKey(args[1]).queue(args[2]).workerId("doomed")
                .heartbeatInterval(Duration.ofMillis(200)).activity("shout", (input, context) -> {
                    System.out.println("STARTED " + input.stringValue());
                    System.out.flush();
                    never.await();
                    return "never";
                }).build().start();
        never.await();
    }
}
