package dev.weft.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.weft.LogCategories;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.WorkflowStatus;
import dev.weft.event.EngineEvent;
import dev.weft.store.RunRecord;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.LogCapture;
import dev.weft.testing.TestDatabase;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Parked runs whose timers fire while the engine's link to the database is cut, as when the
 * database restarts at the moment of the wake-ups (the benchmark W4 once left 11 of 20,000 runs
 * asleep after a restart of PostgreSQL): with periodic adoption off, the engine that parked them
 * is the only one that takes them up, so a claim that failed must be tried again, not left to an
 * adoption that never comes.
 */
abstract class ParkedWakeOutageTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int RUNS = 40;
    private static final WorkflowDefinition<String, String> NAP = WorkflowDefinition.of("nap", String.class, String.class,
            (context, input) -> {
                context.sleep(Duration.ofHours(1));
                return input + " awake";
            });

    private final EngineFixture fixture = new EngineFixture(database());
    private final ProxiedPool pool = ProxiedPool.open(database(), "parker", 4, Duration.ofSeconds(5));
    private final JdbcWorkflowStore proxied = JdbcWorkflowStore.builder(pool.dataSource())
            .tablePrefix(fixture.schema().tablePrefix()).build();
    private final JdbcWorkflowStore direct = fixture.newStore();

    abstract TestDatabase database();

    @AfterEach
    void cleanUp() {
        pool.proxy().pass();
        fixture.close();
        proxied.close();
        pool.close();
    }

    @Test
    void runsWhoseTimersFireWhileTheDatabaseIsAwayAreTakenUpWhenItIsBack() {
        WeftEngine engine = fixture.engine("parker", builder -> builder.store(proxied).parkAfter(Duration.ZERO).workflow(NAP));
        List<String> ids = IntStream.range(0, RUNS).mapToObj(i -> "nap-" + i).toList();
        ids.forEach(id -> engine.start(NAP, id, StartOptions.withId(id)));
        await().atMost(PATIENCE).until(() -> engine.parkedRunCount() == RUNS && engine.activeRunCount() == 0);

        try (LogCapture runsLog = LogCapture.of(LogCategories.RUNS, Level.WARN)) {
            pool.proxy().cut();
            fixture.clock().advance(Duration.ofHours(1));
            // every run's first take-up fails: its claim finds no connection to the database
            await().atMost(PATIENCE).until(() -> ids.stream().allMatch(id -> runsLog.messages(Level.WARN).stream()
                    .anyMatch(line -> line.startsWith("Could not take up parked run " + id + ";"))));
            pool.proxy().pass();

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(direct.findRuns(ids).values()).extracting(RunRecord::status)
                    .hasSize(RUNS).containsOnly(WorkflowStatus.COMPLETED));
        }
        assertThat(engine.handle(ids.get(0)).result(PATIENCE)).isEqualTo(ids.get(0) + " awake");
        assertThat(engine.parkedRunCount()).isZero();
    }

    /**
     * Closer to the benchmark: the link is cut while the wake-ups are under way, so claims, reads and
     * checkpoints in flight fail half done, and comes back a moment later. Which runs it catches
     * depends on timing; every run must complete all the same.
     */
    @Test
    void runsWakingWhenTheDatabaseGoesAwayAllComplete() {
        int runs = 5 * RUNS;
        WeftEngine engine = fixture.engine("parker", builder -> builder.store(proxied).parkAfter(Duration.ZERO).workflow(NAP));
        List<String> ids = IntStream.range(0, runs).mapToObj(i -> "wake-" + i).toList();
        ids.forEach(id -> engine.start(NAP, id, StartOptions.withId(id)));
        await().atMost(PATIENCE).until(() -> engine.parkedRunCount() == runs && engine.activeRunCount() == 0);

        fixture.clock().advance(Duration.ofHours(1));
        await().atMost(PATIENCE).until(() -> fixture.events(EngineEvent.WorkflowCompleted.class).size() >= RUNS / 4);
        pool.proxy().cut();
        // away for longer than the pool waits for a connection: the take-ups waiting for one fail too
        await().pollDelay(Duration.ofSeconds(3)).atMost(PATIENCE).until(() -> true);
        pool.proxy().pass();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(direct.findRuns(ids).values()).extracting(RunRecord::status)
                .hasSize(runs).containsOnly(WorkflowStatus.COMPLETED));
    }
}
