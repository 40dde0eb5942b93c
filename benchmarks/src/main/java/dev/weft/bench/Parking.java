package dev.weft.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.event.EngineEvent;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.ManualTimeSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * W4: many runs in {@code sleep(1h)} with {@code parkAfter} zero, so each parks (its thread ends,
 * its lease is given up, only rows and a timer remain). Measures the park rate, the heap and
 * threads left per parked run after GC, the database bytes per run, and then, with the engine's
 * clock moved an hour on, the rate at which they wake and complete. R writes the rows of a parked
 * run (the run row and its waiting sleep entry, one commit each) from as many clients. The peer
 * DBOS, when asked, starts as many runs that call its durable {@code sleep(1h)}: each keeps a
 * (virtual) thread asleep in memory, which is what its heap per sleeping run shows. Its sleep follows
 * the wall clock, so its wake-up rate is not measured.
 */
final class Parking {

    private static final int CLIENTS = 64;
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private final Database database;
    private final Scale scale;
    private final Consumer<Trial> sink;
    private final boolean dbos;

    Parking(Database database, Scale scale, Consumer<Trial> sink, boolean dbos) {
        this.database = database;
        this.scale = scale;
        this.sink = sink;
        this.dbos = dbos;
    }

    void run() {
        for (int round = 0; round <= scale.parkRounds(); round++) {
            int runs = round == 0 ? scale.warmUp(scale.parkedRuns()) : scale.parkedRuns();
            // DBOS first: a failure of the engine's trial ends the workload, and should not take the peer's figures with it
            if (dbos) {
                dbos(round, runs);
            }
            engine(round, runs);
            raw(round, runs);
        }
    }

    private void engine(int round, int runs) {
        database.truncate();
        long bytesBefore = database.engineTableBytes();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Meter meter = Meter.start(database);
        ManualTimeSource time = new ManualTimeSource(Instant.now());
        AtomicInteger completed = new AtomicInteger();
        Map<String, Double> extra = new LinkedHashMap<>();
        Histogram latency;
        try (HikariDataSource pool = database.pool(CLIENTS + 8); JdbcWorkflowStore store = Flows.store(pool);
             WeftEngine engine = Flows.engine(store, "bench-" + UUID.randomUUID(), time).parkAfter(Duration.ZERO)
                     .adoptionInterval(Duration.ZERO).build()) {
            engine.addListener(EngineEvent.WorkflowCompleted.class, event -> completed.incrementAndGet());
            long heapBefore = usedHeapAfterGc(memory);
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            meter.startClock();
            long start = System.nanoTime();
            latency = ClosedLoop.run(CLIENTS, runs, i -> engine.start(Flows.NAP, i, StartOptions.defaults()));
            double startSeconds = (System.nanoTime() - start) / 1e9;
            awaitAtLeast(engine::parkedRunCount, runs, "parked runs");
            double parkSeconds = (System.nanoTime() - start) / 1e9;
            meter.stopClock();
            long heapAfter = usedHeapAfterGc(memory);
            int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
            long bytesAfter = database.engineTableBytes();
            extra.put("startsPerSec", runs / startSeconds);
            extra.put("heapBytesPerParked", (heapAfter - heapBefore) / (double) runs);
            extra.put("liveThreadsBefore", (double) threadsBefore);
            extra.put("liveThreadsParked", (double) threadsAfter);
            extra.put("dbBytesPerRun", (bytesAfter - bytesBefore) / (double) runs);
            long wake = System.nanoTime();
            time.advance(Duration.ofHours(1));
            awaitAtLeast(completed::get, runs, "woken runs completed");
            extra.put("wakeUpsPerSec", runs / ((System.nanoTime() - wake) / 1e9));
            extra.put("parkSeconds", parkSeconds);
        }
        sink.accept(meter.finish("W4", "engine", "sleep(1h) parked", CLIENTS, round, runs, "parks", latency, extra));
    }

    private void raw(int round, int runs) {
        database.truncate();
        Meter meter = Meter.start(database);
        Histogram latency;
        try (HikariDataSource pool = database.pool(CLIENTS + 8)) {
            meter.startClock();
            latency = ClosedLoop.run(CLIENTS, runs, i -> {
                String id = UUID.randomUUID().toString();
                try (Connection conn = pool.getConnection()) {
                    RawWorkflow.insertRun(conn, id, "raw-nap");
                    try (var sleep = conn.prepareStatement("insert into weft_journal (run_id, seq, kind, name, state, attempt, "
                            + "due_at, updated_at) values (?, 1, 'sleep', 'sleep', 'waiting', 0, now() + interval '1 hour', now())")) {
                        sleep.setString(1, id);
                        sleep.executeUpdate();
                    }
                }
            });
            meter.stopClock();
        }
        sink.accept(meter.finish("W4", "R", "run row + waiting sleep row", CLIENTS, round, runs, "parks", latency, Map.of()));
    }

    private void dbos(int round, int runs) {
        database.truncate();
        DbosPeer.truncate(database);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Meter meter = Meter.start(database);
        Map<String, Double> extra = new LinkedHashMap<>();
        Histogram latency;
        DbosFlows.Code.NAPS_ENTERED.set(0);
        try (HikariDataSource pool = database.pool(CLIENTS + 8); DbosPeer peer = DbosPeer.launch(pool, "bench-" + UUID.randomUUID())) {
            // after the launch: DBOS makes its tables at its first one
            long bytesBefore = DbosPeer.tableBytes(database);
            long heapBefore = usedHeapAfterGc(memory);
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            meter.startClock();
            long start = System.nanoTime();
            latency = ClosedLoop.run(CLIENTS, runs, peer::startNap);
            double startSeconds = (System.nanoTime() - start) / 1e9;
            awaitAtLeast(DbosFlows.Code.NAPS_ENTERED::get, runs, "runs in sleep");
            // a run counts as asleep once its sleep's checkpoint is written
            awaitAtLeast(() -> {
                Benchmarks.pause(Duration.ofMillis(10));
                return DbosPeer.recordedSteps(pool, "DBOS.sleep");
            }, runs, "sleep checkpoints");
            double parkSeconds = (System.nanoTime() - start) / 1e9;
            meter.stopClock();
            long heapAfter = usedHeapAfterGc(memory);
            extra.put("startsPerSec", runs / startSeconds);
            extra.put("heapBytesPerParked", (heapAfter - heapBefore) / (double) runs);
            extra.put("liveThreadsBefore", (double) threadsBefore);
            extra.put("liveThreadsParked", (double) ManagementFactory.getThreadMXBean().getThreadCount());
            extra.put("dbBytesPerRun", (DbosPeer.tableBytes(database) - bytesBefore) / (double) runs);
            extra.put("parkSeconds", parkSeconds);
        }
        sink.accept(meter.finish("W4", "DBOS", "sleep(1h), asleep in memory", CLIENTS, round, runs, "parks", latency, extra));
    }

    /** Waits for {@code count} to reach {@code target}; gives up after {@link #PATIENCE} (the engine may have dropped runs). */
    private static void awaitAtLeast(java.util.function.IntSupplier count, int target, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (count.getAsInt() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count.getAsInt() + " of " + target + " " + what + " after " + PATIENCE);
            }
            Benchmarks.pause(Duration.ofMillis(1));
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Benchmarks.pause(Duration.ofMillis(100));
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
