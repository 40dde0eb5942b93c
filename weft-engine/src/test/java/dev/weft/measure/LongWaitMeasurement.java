package dev.weft.measure;

import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.activity.ActivityDefinition;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.testing.TestDatabase;
import dev.weft.testing.TestSchema;
import dev.weft.time.ManualTimeSource;
import dev.weft.workflow.WorkflowDefinition;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * A measurement, not a test: how much it costs to keep many runs waiting on signals and timers,
 * parked ({@code parkAfter} zero), on PostgreSQL. Half the runs wait for a signal, half sleep an
 * hour on a {@link ManualTimeSource}; each first runs one activity. It starts them (paced, so that
 * at most {@value #IN_FLIGHT} runs are between their start and their parking at once), waits until
 * every one is parked, then reads the platform thread count, the heap after a full GC, the
 * database bytes per run and the time it took; then wakes the sleepers (by moving the clock) and
 * the signal waiters (by signalling each) and reports how fast they complete.
 *
 * <p>Run it after {@code ./mvnw -q -B install -DskipTests}, with {@code WEFT_TEST_POSTGRES_URL}
 * (and {@code _USER}, {@code _PASSWORD}) set, as docs/long-waits.md shows:
 * {@code java -Xmx4g -cp <test classpath> dev.weft.measure.LongWaitMeasurement 100000}.
 * The tables live under a random prefix and are dropped at the end unless {@code keep} is passed
 * as the second argument.
 */
public final class LongWaitMeasurement {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration NAP = Duration.ofHours(1);
    private static final int STARTERS = 8;
    private static final int SIGNALLERS = 8;
    private static final int IN_FLIGHT = 2_000;
    /** The test server runs without autovacuum: statistics are refreshed by hand as the tables grow. */
    private static final int ANALYZE_EVERY = 5_000;

    private LongWaitMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        boolean keep = args.length > 1 && args[1].equals("keep");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        TestSchema schema = TestSchema.create(TestDatabase.POSTGRESQL);
        String prefix = schema.tablePrefix();
        ManualTimeSource clock = new ManualTimeSource(START);
        JdbcWorkflowStore store = JdbcWorkflowStore.builder(schema.dataSource()).tablePrefix(prefix).build();
        WorkflowDefinition<String, String> awaitingSignal = WorkflowDefinition.of("awaiting-signal", String.class, String.class,
                (context, input) -> {
                    String prepared = context.run("prepare", input, String.class);
                    return prepared + " " + context.awaitSignal("go", String.class);
                });
        WorkflowDefinition<String, String> sleeping = WorkflowDefinition.of("sleeping", String.class, String.class,
                (context, input) -> {
                    String prepared = context.run("prepare", input, String.class);
                    context.sleep(NAP);
                    return prepared + " woke";
                });
        WeftEngine engine = WeftEngine.builder()
                .store(store)
                .nodeId("measure")
                .timeSource(clock)
                .parkAfter(Duration.ZERO)
                .adoptionInterval(Duration.ZERO)
                .workflow(awaitingSignal)
                .workflow(sleeping)
                .activity(ActivityDefinition.of("prepare", String.class, String.class, (input, context) -> "prepared " + input))
                .build();

        // a few runs first, so class loading and JIT warm-up are not counted as the runs' cost
        int warm = 20;
        for (int i = 0; i < warm; i++) {
            engine.start(i % 2 == 0 ? "awaiting-signal" : "sleeping", "w" + i, StartOptions.withId("warm-" + i));
        }
        awaitParked(engine, warm, Duration.ofMinutes(1));
        fullGc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        int activeBefore = Thread.activeCount();
        int platformBefore = threads.getThreadCount();
        threads.resetPeakThreadCount();
        System.out.printf(Locale.ROOT, "before: heap used %,d bytes, Thread.activeCount %d, ThreadMXBean count %d%n",
                heapBefore, activeBefore, platformBefore);

        long started = System.nanoTime();
        parallel(STARTERS, runs, i -> {
            // paced: at most IN_FLIGHT runs between their start and their parking (see docs/long-waits.md)
            if (i % ANALYZE_EVERY == 0) {
                analyze(schema, prefix);
            }
            while (engine.activeRunCount() >= IN_FLIGHT) {
                sleepQuietly(1);
            }
            engine.start(i % 2 == 0 ? "awaiting-signal" : "sleeping", "r" + i, StartOptions.withId(runId(i)));
        });
        long allStarted = System.nanoTime();
        System.out.printf(Locale.ROOT, "started %,d runs in %.1f s%n", runs, seconds(allStarted - started));
        awaitParked(engine, warm + runs, Duration.ofHours(1));
        long allParked = System.nanoTime();
        int peakDuring = threads.getPeakThreadCount();

        fullGc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        int activeAfter = Thread.activeCount();
        int platformAfter = threads.getThreadCount();
        long runBytes = relationSize(schema, prefix + "run");
        long journalBytes = relationSize(schema, prefix + "journal");
        long signalBytes = relationSize(schema, prefix + "signal");
        long stored = schema.sql("select count(*) from " + prefix + "run").query(Long.class).single();
        System.out.printf(Locale.ROOT, "parked %,d runs %.1f s after the first start (%.0f runs/s)%n", runs,
                seconds(allParked - started), runs / seconds(allParked - started));
        System.out.printf(Locale.ROOT, "after parking: heap used %,d bytes (%+,d; %.0f bytes per run), Thread.activeCount %d,"
                + " ThreadMXBean count %d, peak platform threads while starting %d%n", heapAfter, heapAfter - heapBefore,
                (heapAfter - heapBefore) / (double) runs, activeAfter, platformAfter, peakDuring);
        System.out.printf(Locale.ROOT, "database: %,d runs stored; run %,d + journal %,d + signal %,d = %,d bytes, %.0f bytes per run%n",
                stored, runBytes, journalBytes, signalBytes, runBytes + journalBytes + signalBytes,
                (runBytes + journalBytes + signalBytes) / (double) stored);

        analyze(schema, prefix);
        int sleepers = runs / 2;
        long wakeStart = System.nanoTime();
        clock.advance(NAP);
        awaitCompleted(schema, prefix, "sleeping", sleepers, Duration.ofHours(1));
        long sleepersDone = System.nanoTime();
        System.out.printf(Locale.ROOT, "timers: %,d sleeping runs completed %.1f s after the clock moved (%.0f runs/s)%n", sleepers,
                seconds(sleepersDone - wakeStart), sleepers / seconds(sleepersDone - wakeStart));

        int waiters = runs - sleepers;
        long signalStart = System.nanoTime();
        parallel(SIGNALLERS, runs, i -> {
            if (i % 2 == 0) {
                engine.signal(runId(i), "go", "go-" + i, "go-" + i);
            }
        });
        long signalled = System.nanoTime();
        awaitCompleted(schema, prefix, "awaiting-signal", waiters, Duration.ofHours(1));
        long waitersDone = System.nanoTime();
        System.out.printf(Locale.ROOT, "signals: %,d sent in %.1f s; the runs completed %.1f s after the first was sent (%.0f runs/s)%n",
                waiters, seconds(signalled - signalStart), seconds(waitersDone - signalStart),
                waiters / seconds(waitersDone - signalStart));
        System.out.printf(Locale.ROOT, "after waking: ThreadMXBean count %d, peak %d, parked %d, active %d%n",
                threads.getThreadCount(), threads.getPeakThreadCount(), engine.parkedRunCount(), engine.activeRunCount());

        engine.close();
        store.close();
        if (!keep) {
            schema.drop();
        }
        System.exit(0);
    }

    private static String runId(int i) {
        return "run-" + i;
    }

    /** Calls {@code task} for 0 to {@code count - 1} on {@code threads} platform threads, which end before this returns. */
    private static void parallel(int threads, int count, IntConsumer task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            done.add(pool.submit(() -> {
                for (int i = first; i < count; i += threads) {
                    task.accept(i);
                }
            }));
        }
        for (Future<?> each : done) {
            each.get();
        }
        pool.shutdown();
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
    }

    private static void awaitParked(WeftEngine engine, int count, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (engine.parkedRunCount() < count || engine.activeRunCount() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + engine.parkedRunCount() + " of " + count + " runs parked, "
                        + engine.activeRunCount() + " active");
            }
            Thread.sleep(50);
        }
    }

    private static void awaitCompleted(TestSchema schema, String prefix, String type, int count, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (schema.sql("select count(*) from " + prefix + "run where type = :type and status = 'completed' and id like 'run-%'")
                .param("type", type).query(Long.class).single() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not every " + type + " run completed within " + patience);
            }
            Thread.sleep(100);
        }
    }

    private static void analyze(TestSchema schema, String prefix) {
        schema.sql("analyze " + prefix + "run, " + prefix + "journal, " + prefix + "signal").update();
    }

    private static long relationSize(TestSchema schema, String table) {
        return schema.sql("select pg_total_relation_size(cast(:table as regclass))").param("table", table).query(Long.class).single();
    }

    private static void fullGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
