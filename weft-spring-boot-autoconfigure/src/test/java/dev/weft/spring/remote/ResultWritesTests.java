package dev.weft.spring.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The bound on result writes in flight, and the wait for them at shutdown. */
class ResultWritesTests {

    private final CountDownLatch commit = new CountDownLatch(1);
    private final AtomicInteger started = new AtomicInteger();

    private Runnable heldWrite() {
        return () -> {
            started.incrementAndGet();
            try {
                commit.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void aWriteBeyondTheLimitWaitsOnTheReadersThreadUntilOneEnds() {
        ResultWrites writes = new ResultWrites(2);
        writes.submit(heldWrite());
        writes.submit(heldWrite());
        Thread reader = Thread.ofPlatform().start(() -> writes.submit(heldWrite()));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> reader.getState() == Thread.State.WAITING);
        assertThat(started).hasValue(2);
        commit.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> started.get() == 3 && !reader.isAlive());
    }

    @Test
    void awaitIdleTellsWhetherTheWritesInFlightEnded() {
        ResultWrites writes = new ResultWrites(4);
        writes.submit(heldWrite());

        assertThat(writes.awaitIdle(Duration.ZERO)).isFalse();
        commit.countDown();
        assertThat(writes.awaitIdle(Duration.ofSeconds(20))).isTrue();
        assertThat(writes.awaitIdle(Duration.ZERO)).as("the permits are all given back").isTrue();
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ResultWrites(0)).withMessageContaining("at least 1, was 0");
    }
}
