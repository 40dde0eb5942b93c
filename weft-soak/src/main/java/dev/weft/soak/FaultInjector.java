package dev.weft.soak;

import dev.weft.testsupport.PrivateDatabase;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The soak's faults, each on a schedule of its own (with a quarter of jitter either way): a node
 * SIGKILLed and started again after a pause, the database crashed and restarted, a node cut off from
 * the database by its proxy for longer than a lease. A node that exits on its own (it could not start
 * while the database was away) is started again. A killed node is never one that is partitioned, and
 * the other way round, so each fault is seen alone on its node.
 */
final class FaultInjector {

    private final SoakSettings settings;
    private final PrivateDatabase database;
    private final List<WorkerNode> nodes;
    private final PrintStream out;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger kills = new AtomicInteger();
    private final AtomicInteger databaseRestarts = new AtomicInteger();
    private final AtomicInteger partitions = new AtomicInteger();
    private final AtomicInteger exitsOnTheirOwn = new AtomicInteger();
    private volatile boolean stopping;

    FaultInjector(SoakSettings settings, PrivateDatabase database, List<WorkerNode> nodes, PrintStream out) {
        this.settings = settings;
        this.database = database;
        this.nodes = nodes;
        this.out = out;
    }

    void start() {
        threads.add(loop("kill", settings.killEvery(), this::killOne));
        threads.add(loop("database-restart", settings.databaseRestartEvery(), this::restartDatabase));
        threads.add(loop("partition", settings.partitionEvery(), this::partitionOne));
        threads.add(loop("supervise", Duration.ofSeconds(1), this::restartExited));
    }

    /** Stops injecting, waits for a fault in progress to end, and leaves every node up and connected. */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join();
        }
        for (WorkerNode node : nodes) {
            node.proxy().pass();
            node.start();
        }
    }

    int kills() {
        return kills.get();
    }

    int databaseRestarts() {
        return databaseRestarts.get();
    }

    int partitions() {
        return partitions.get();
    }

    int exitsOnTheirOwn() {
        return exitsOnTheirOwn.get();
    }

    private interface Fault {
        void inject() throws InterruptedException;
    }

    private Thread loop(String name, Duration every, Fault fault) {
        return Thread.ofPlatform().daemon().name("soak-" + name).start(() -> {
            try {
                while (!stopping) {
                    long millis = every.toMillis();
                    long jitter = name.equals("supervise") ? 0 : ThreadLocalRandom.current().nextLong(-millis / 4, millis / 4 + 1);
                    Thread.sleep(millis + jitter);
                    try {
                        fault.inject();
                    } catch (RuntimeException e) {
                        log("the " + name + " fault failed: " + e);
                        e.printStackTrace(out);
                    }
                }
            } catch (InterruptedException e) {
                // stopping
            }
        });
    }

    private void killOne() throws InterruptedException {
        WorkerNode node = pick();
        if (node == null) {
            return;
        }
        try {
            node.kill();
            kills.incrementAndGet();
            log("killed " + node.name());
            Thread.sleep(settings.downFor());
        } finally {
            node.start();
            busy.remove(node.name());
        }
    }

    private void restartDatabase() {
        long startNanos = System.nanoTime();
        database.crashAndRestart();
        databaseRestarts.incrementAndGet();
        log("crashed and restarted the database in " + Duration.ofNanos(System.nanoTime() - startNanos).toMillis() + " ms");
    }

    private void partitionOne() throws InterruptedException {
        WorkerNode node = pick();
        if (node == null) {
            return;
        }
        try {
            node.proxy().blackhole();
            partitions.incrementAndGet();
            log("partitioned " + node.name() + " for " + settings.partitionFor().toSeconds() + " s");
            Thread.sleep(settings.partitionFor());
        } finally {
            node.proxy().pass();
            busy.remove(node.name());
            log("healed " + node.name());
        }
    }

    private void restartExited() {
        for (WorkerNode node : nodes) {
            if (node.exitedOnItsOwn()) {
                exitsOnTheirOwn.incrementAndGet();
                log(node.name() + " exited on its own; starting it again");
                node.start();
            }
        }
    }

    /** A node no other fault holds, now taken for this one; null when every node is busy. */
    private @Nullable WorkerNode pick() {
        List<WorkerNode> free = nodes.stream().filter(node -> !busy.contains(node.name())).toList();
        if (free.isEmpty()) {
            return null;
        }
        WorkerNode node = free.get(ThreadLocalRandom.current().nextInt(free.size()));
        return busy.add(node.name()) ? node : null;
    }

    private void log(String line) {
        out.println(Instant.now() + " " + line);
    }
}
