package dev.weft.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A one-shot gate an activity waits at until the test opens it; tells the test when someone arrived. */
public final class Gate {

    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);

    /** Called by the activity: announces arrival and blocks until opened (interruptibly). */
    public void pass() throws InterruptedException {
        arrived.countDown();
        opened.await();
    }

    public void awaitArrival() {
        try {
            if (!arrived.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("nobody reached the gate within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public void open() {
        opened.countDown();
    }

    public static Duration patience() {
        return Duration.ofSeconds(10);
    }
}
