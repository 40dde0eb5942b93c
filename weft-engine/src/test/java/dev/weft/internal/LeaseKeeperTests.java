package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.EngineFixture;
import dev.weft.testing.FaultyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lease keeper on its own: when its thread starts, and what a renewal pass concludes. */
class LeaseKeeperTests {

    private final EngineFixture fixture = EngineFixture.h2();
    private final FaultyStore store = new FaultyStore(fixture.newStore());
    private final RecordingRuns runs = new RecordingRuns();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aKeeperStartsNoThreadUntilItIsStarted() {
        try (LeaseKeeper keeper = keeper("idle-node")) {
            assertThat(leaseThreadRuns("idle-node")).isFalse();
            assertThat(runs.listed).hasValue(0);

            keeper.start();

            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> runs.listed.get() > 0);
            assertThat(leaseThreadRuns("idle-node")).isTrue();
        }
    }

    @Test
    void aPassWithNoRunsClearsARenewalFailureOnlyWhenTheDatabaseAnswers() {
        try (LeaseKeeper keeper = keeper("failing-node")) {
            runs.driven = List.of("run-1");
            store.failRenewals(true);
            keeper.renew();
            assertThat(keeper.isRenewalFailing()).isTrue();

            store.failRenewals(false);
            runs.driven = List.of();
            store.failNext("databaseTime", 1);
            keeper.renew();
            assertThat(keeper.isRenewalFailing()).isTrue();

            keeper.renew();
            assertThat(keeper.isRenewalFailing()).isFalse();
        }
    }

    /** Found by the soak (docs/reliability.md): the node stayed failing with no runs, and its watchdog gave up each run it adopted. */
    @Test
    void aNodeThatGaveUpItsRunsKeepsTheRunsItTakesUpOnceTheDatabaseAnswers() throws InterruptedException {
        try (LeaseKeeper keeper = keeper("recovering-node", Duration.ofSeconds(1), Duration.ofMillis(100))) {
            runs.driven = List.of("run-1");
            store.failRenewals(true);
            keeper.start();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> runs.abandoned.get() > 0);
            runs.driven = List.of();
            store.failRenewals(false);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !keeper.isRenewalFailing());
            int abandoned = runs.abandoned.get();

            // the node adopts a run: its renewals get through, so the watchdog leaves it alone for two whole leases
            runs.driven = List.of("run-2");
            Thread.sleep(Duration.ofSeconds(2));

            assertThat(runs.abandoned).hasValue(abandoned);
            assertThat(keeper.isRenewalFailing()).isFalse();
        }
    }

    @Test
    void aRenewalThatHangsStillGivesTheRunsUpWhileItHangs() throws InterruptedException {
        try (LeaseKeeper keeper = keeper("hanging-node", Duration.ofSeconds(1), Duration.ofMillis(100))) {
            runs.driven = List.of("run-1");
            FaultyStore.Hold renewal = store.holdRenewals();
            keeper.start();
            assertThat(renewal.awaitArrival(Duration.ofSeconds(5))).isTrue();

            // the renewal neither returns nor fails: only the watchdog can see that the lease runs out
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> runs.abandoned.get() > 0);
            assertThat(renewal.passed()).isFalse();
            assertThat(keeper.isRenewalFailing()).isTrue();

            renewal.release();
        }
    }

    @Test
    void theWatchdogLeavesANodeWhoseRenewalsGetThroughAlone() {
        try (LeaseKeeper keeper = keeper("healthy-node", Duration.ofSeconds(1), Duration.ofMillis(100))) {
            runs.driven = List.of("run-1");
            keeper.start();
            // several whole leases: renewals get through, so nothing is given up
            int listedBefore = runs.listed.get();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> runs.listed.get() >= listedBefore + 20);
            assertThat(runs.abandoned).hasValue(0);
            assertThat(keeper.isRenewalFailing()).isFalse();
        }
    }

    private LeaseKeeper keeper(String nodeId, Duration lease, Duration renewInterval) {
        return new LeaseKeeper(store.store(), new LeaseSettings(nodeId, lease, renewInterval, Duration.ZERO), runs, () -> { });
    }

    private LeaseKeeper keeper(String nodeId) {
        return new LeaseKeeper(store.store(), new LeaseSettings(nodeId, Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ZERO), runs, () -> { });
    }

    private static boolean leaseThreadRuns(String nodeId) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals("weft-lease-" + nodeId));
    }

    private static final class RecordingRuns implements LeaseKeeper.LeasedRuns {

        private final AtomicInteger listed = new AtomicInteger();
        private final AtomicInteger abandoned = new AtomicInteger();
        private volatile List<String> driven = List.of();

        @Override
        public List<String> drivenRunIds() {
            listed.incrementAndGet();
            return driven;
        }

        @Override
        public void cancelLocally(String id) {
        }

        @Override
        public void wakeHere(String id) {
        }

        @Override
        public void adoptLapsed() {
        }

        @Override
        public void abandonAll() {
            abandoned.incrementAndGet();
        }

        @Override
        public void takeBackGivenUp() {
        }
    }
}
