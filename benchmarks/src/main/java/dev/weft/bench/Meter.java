package dev.weft.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Measures one trial: wall time, this JVM's CPU time and heap allocation and, on PostgreSQL, the
 * server's commit and WAL counters, read before the trial's pool opens and after it closed (a
 * session publishes its counters when it ends). CPU and allocation count from {@link #startClock()}
 * when a trial calls it, so that building the pool and the engine is not charged to the work.
 */
final class Meter {

    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Database database;
    private final Database.@Nullable ServerCounters countersBefore;
    private long cpuBefore;
    private long allocatedBefore;
    private long allocatedBytes;
    private long wallStart;
    private long wallNanos = -1;
    private long cpuNanos;

    private Meter(Database database) {
        this.database = database;
        this.countersBefore = database.counters();
        this.cpuBefore = OS.getProcessCpuTime();
        this.allocatedBefore = THREADS.getTotalThreadAllocatedBytes();
        this.wallStart = System.nanoTime();
    }

    /** Reads the counters; call before the trial's pool is created. */
    static Meter start(Database database) {
        return new Meter(database);
    }

    /** Starts the clock of the measured part (after set-up such as building the engine). */
    void startClock() {
        cpuBefore = OS.getProcessCpuTime();
        allocatedBefore = THREADS.getTotalThreadAllocatedBytes();
        wallStart = System.nanoTime();
    }

    /** Stops the clock and the CPU count; the pool may still be open. */
    void stopClock() {
        wallNanos = System.nanoTime() - wallStart;
        cpuNanos = OS.getProcessCpuTime() - cpuBefore;
        allocatedBytes = THREADS.getTotalThreadAllocatedBytes() - allocatedBefore;
    }

    /** The trial, once its pool is closed. */
    Trial finish(String workload, String system, String variant, int concurrency, int round, long units, String unit,
            Histogram latencyMicros, Map<String, Double> extra) {
        if (wallNanos < 0) {
            stopClock();
        }
        Database.ServerCounters after = database.counters();
        Double commits = null;
        Double wal = null;
        if (after != null && countersBefore != null) {
            Database.ServerCounters delta = after.minus(countersBefore);
            commits = (double) delta.commits() / units;
            wal = (double) delta.walBytes() / units;
        }
        double seconds = wallNanos / 1e9;
        Map<String, Double> metrics = new LinkedHashMap<>(extra);
        metrics.put("allocKiB", allocatedBytes / 1024.0 / units);
        return new Trial(workload, database.label(), system, variant, concurrency, round, units, unit, seconds,
                units / seconds, ms(latencyMicros.getValueAtPercentile(50)), ms(latencyMicros.getValueAtPercentile(99)),
                ms(latencyMicros.getMaxValue()), commits, wal, cpuNanos / 1e6 / units, metrics);
    }

    static Histogram histogram() {
        return new Histogram(3_600_000_000L, 3);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
