package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.weft.activity.ActivityDefinition;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.FaultyStore;
import dev.weft.testing.Gate;
import dev.weft.testing.LogCapture;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lease renewal: an engine that cannot renew its leases stops driving its runs before the
 * database lets others adopt them. Leases run on real time (the database's clock), so these tests
 * use the shortest lease allowed and wait for a condition rather than for a duration.
 */
class LeaseTests {

    private final EngineFixture fixture = EngineFixture.h2();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anEngineThatCannotRenewItsLeasesStopsDrivingItsRunsAndSignalsTheirActivities() {
        List<String> signals = new CopyOnWriteArrayList<>();
        Gate gate = new Gate();
        FaultyStore store = new FaultyStore(fixture.newStore());
        WeftEngine engine = fixture.engine("partitioned", builder -> builder.store(store.store())
                .lease(Duration.ofSeconds(1)).leaseRenewInterval(Duration.ofMillis(100))
                .workflow(WorkflowDefinition.of("long", String.class, String.class, (context, input) -> context.run("work", input, String.class)))
                .activity(ActivityDefinition.of("work", String.class, String.class, (input, context) -> {
                    context.cancellation().onCancel(() -> signals.add("cancelled"));
                    gate.pass();
                    return "done";
                })));
        engine.start("long", "x", StartOptions.withId("lease-1"));
        gate.awaitArrival();

        try (LogCapture log = LogCapture.of(LogCategories.ENGINE, Level.INFO)) {
            store.failRenewals(true);

            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> engine.activeRunCount() == 0);
            // one warning when renewals begin to fail, one error when the node gives its runs up, not a line per pass
            Awaitility.await().until(() -> !log.messages(Level.ERROR).isEmpty());
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .startsWith("Could not renew the leases of 1 runs of node partitioned");
            assertThat(log.messages(Level.ERROR)).singleElement().asString()
                    .startsWith("Leases of node partitioned are about to lapse").contains("it stops driving its 1 runs");
        }
        assertThat(signals).containsExactly("cancelled");
        assertThat(engine.isLeaseRenewalFailing()).isTrue();
        assertThat(engine.handle("lease-1").status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(fixture.journal("lease-1")).isEmpty();
    }

    @Test
    void runsGivenUpInAnOutageAreTakenBackWhenRenewalsGetThroughAgainEvenWithAdoptionOff() {
        // the fixture's engines adopt nothing periodically: without the take-back the run would stay unowned until a restart
        AtomicInteger attempts = new AtomicInteger();
        Gate gate = new Gate();
        FaultyStore store = new FaultyStore(fixture.newStore());
        WeftEngine engine = fixture.engine("outage", builder -> builder.store(store.store())
                .lease(Duration.ofSeconds(1)).leaseRenewInterval(Duration.ofMillis(100))
                .workflow(WorkflowDefinition.of("long", String.class, String.class, (context, input) -> context.run("work", input, String.class)))
                .activity(ActivityDefinition.of("work", String.class, String.class, (input, context) -> {
                    attempts.incrementAndGet();
                    gate.pass();
                    return "done";
                })));
        WorkflowHandle<Object> handle = engine.start("long", "x", StartOptions.withId("lease-back"));
        gate.awaitArrival();

        try (LogCapture log = LogCapture.of(LogCategories.ENGINE, Level.INFO)) {
            store.failRenewals(true);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> engine.activeRunCount() == 0);
            gate.open();
            store.failRenewals(false);

            assertThat(handle.result(Gate.patience())).isEqualTo("done");
            assertThat(log.messages(Level.INFO)).anySatisfy(line -> assertThat(line)
                    .startsWith("Node outage took back 1 runs it had stopped driving while its leases could not be renewed"));
        }
        // the attempt cut short by the outage, and the one after the take-back
        assertThat(attempts).hasValue(2);
        assertThat(engine.handle("lease-back").status()).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void anEngineWhoseRenewalHangsStopsDrivingItsRunsWhileTheRenewalStillHangs() throws InterruptedException {
        List<String> signals = new CopyOnWriteArrayList<>();
        Gate gate = new Gate();
        FaultyStore store = new FaultyStore(fixture.newStore());
        WeftEngine engine = fixture.engine("blackholed", builder -> builder.store(store.store())
                .lease(Duration.ofSeconds(1)).leaseRenewInterval(Duration.ofMillis(100))
                .workflow(WorkflowDefinition.of("long", String.class, String.class, (context, input) -> context.run("work", input, String.class)))
                .activity(ActivityDefinition.of("work", String.class, String.class, (input, context) -> {
                    context.cancellation().onCancel(() -> signals.add("cancelled"));
                    gate.pass();
                    return "done";
                })));
        engine.start("long", "x", StartOptions.withId("lease-hang-1"));
        gate.awaitArrival();

        try (LogCapture log = LogCapture.of(LogCategories.ENGINE, Level.INFO)) {
            // a renewal that never returns, as in a partition that swallows packets: nothing fails
            FaultyStore.Hold renewal = store.holdRenewals();
            assertThat(renewal.awaitArrival(Gate.patience())).isTrue();

            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> engine.activeRunCount() == 0);
            assertThat(renewal.passed()).isFalse();
            assertThat(log.messages(Level.ERROR)).singleElement().asString()
                    .startsWith("Leases of node blackholed are about to lapse").contains("it stops driving its 1 runs");
            renewal.release();
        }
        assertThat(signals).containsExactly("cancelled");
        assertThat(engine.handle("lease-hang-1").status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(fixture.journal("lease-hang-1")).isEmpty();
    }

    @Test
    void aBriefRenewalFailureChangesNothing() {
        Gate gate = new Gate();
        FaultyStore store = new FaultyStore(fixture.newStore());
        WeftEngine engine = fixture.engine("blip", builder -> builder.store(store.store())
                .lease(Duration.ofSeconds(30)).leaseRenewInterval(Duration.ofMillis(50))
                .workflow(WorkflowDefinition.of("long", String.class, String.class, (context, input) -> context.run("work", input, String.class)))
                .activity(ActivityDefinition.of("work", String.class, String.class, (input, context) -> {
                    gate.pass();
                    return "done";
                })));
        WorkflowHandle<Object> handle = engine.start("long", "x");
        gate.awaitArrival();

        try (LogCapture log = LogCapture.of(LogCategories.ENGINE, Level.INFO)) {
            store.failRenewals(true);
            Awaitility.await().until(engine::isLeaseRenewalFailing);
            store.failRenewals(false);
            Awaitility.await().until(() -> !engine.isLeaseRenewalFailing());

            assertThat(log.messages(Level.WARN)).singleElement().asString().startsWith("Could not renew the leases of 1 runs of node blip");
            assertThat(log.messages(Level.INFO)).singleElement().asString().startsWith("Lease renewal of node blip works again after ");
            assertThat(log.messages(Level.ERROR)).isEmpty();
        }
        gate.open();

        assertThat(handle.result(Gate.patience())).isEqualTo("done");
    }

    @Test
    void closeWaitsForARenewalUnderWaySoTheStoreCanBeClosedAfterIt() throws Exception {
        Gate gate = new Gate();
        FaultyStore store = new FaultyStore(fixture.newStore());
        WeftEngine engine = fixture.engine("closing", builder -> builder.store(store.store())
                .lease(Duration.ofSeconds(30)).leaseRenewInterval(Duration.ofMillis(50))
                .workflow(WorkflowDefinition.of("long", String.class, String.class, (context, input) -> context.run("work", input, String.class)))
                .activity(ActivityDefinition.of("work", String.class, String.class, (input, context) -> {
                    gate.pass();
                    return "done";
                })));
        engine.start("long", "x");
        gate.awaitArrival();
        FaultyStore.Hold renewal = store.holdRenewals();
        assertThat(renewal.awaitArrival(Gate.patience())).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(engine::close, runnable -> Thread.ofPlatform().start(runnable));
        // close() is waiting for the background pass (timed wait) rather than returning past it
        Awaitility.await().until(() -> Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getState() == Thread.State.TIMED_WAITING && Arrays.stream(thread.getStackTrace())
                        .anyMatch(frame -> frame.getMethodName().equals("awaitTermination"))));
        assertThat(closing).isNotDone();

        renewal.release();
        closing.get(Gate.patience().toMillis(), TimeUnit.MILLISECONDS);
        assertThat(renewal.passed()).isTrue();
    }
}
