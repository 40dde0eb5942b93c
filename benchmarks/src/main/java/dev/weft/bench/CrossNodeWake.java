package dev.weft.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;

/**
 * W9: two engines on one database, periodic adoption off, leases of 30 s (a renewal pass every
 * 10 s). Runs wait for a signal on the engine that started them; each signal is sent through the
 * other engine, one after another, and the latency is from the send to the moment the run's code
 * goes on after its wait (both engines in this JVM: one clock). Two variants: runs the owner keeps
 * in memory while they wait (the owner must be told: PostgreSQL's notification, elsewhere a 200 ms
 * poll), and runs parked at once (the accepting engine takes them up itself).
 */
final class CrossNodeWake {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private final Database database;
    private final Scale scale;
    private final Consumer<Trial> sink;

    CrossNodeWake(Database database, Scale scale, Consumer<Trial> sink) {
        this.database = database;
        this.scale = scale;
        this.sink = sink;
    }

    void run() {
        for (int round = 0; round <= scale.rounds(); round++) {
            int signals = round == 0 ? scale.warmUp(signalsPerTrial()) : signalsPerTrial();
            trial(round, signals, false);
            trial(round, signals, true);
        }
    }

    private int signalsPerTrial() {
        return Math.max(50, scale.overheadWorkflows() * 2);
    }

    private void trial(int round, int signals, boolean parked) {
        database.truncate();
        Map<String, CountDownLatch> resumed = new ConcurrentHashMap<>();
        Flows.w9Resumed = id -> resumed.get(id).countDown();
        Duration parkAfter = parked ? Duration.ZERO : Duration.ofHours(1);
        try (HikariDataSource ownerPool = database.pool(16, "w9-owner"); HikariDataSource otherPool = database.pool(16, "w9-other");
             JdbcWorkflowStore ownerStore = Flows.store(ownerPool); JdbcWorkflowStore otherStore = Flows.store(otherPool);
             WeftEngine owner = Flows.engine(ownerStore, "w9-owner-" + UUID.randomUUID(), TimeSource.system())
                     .parkAfter(parkAfter).adoptionInterval(Duration.ZERO).build();
             WeftEngine other = Flows.engine(otherStore, "w9-other-" + UUID.randomUUID(), TimeSource.system())
                     .parkAfter(parkAfter).adoptionInterval(Duration.ZERO).build()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < signals; i++) {
                String id = owner.start(parked ? Flows.W9_PARKED.name() : Flows.W9_HELD.name(), i, StartOptions.defaults()).id();
                resumed.put(id, new CountDownLatch(1));
                ids.add(id);
            }
            awaitAtLeast(parked ? owner::parkedRunCount : owner::activeRunCount, signals, parked ? "parked runs" : "waiting runs");
            Meter meter = Meter.start(database);
            Histogram latency = Meter.histogram();
            meter.startClock();
            for (String id : ids) {
                long sent = System.nanoTime();
                other.signal(id, Flows.W9_SIGNAL, sent);
                try {
                    if (!resumed.get(id).await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("run " + id + " was not woken within " + PATIENCE);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                latency.recordValue(Math.max(1, (Flows.w9ResumedAt(id) - sent) / 1000));
            }
            meter.stopClock();
            sink.accept(meter.finish("W9", "engine", parked ? "parked by the other node" : "held by the other node", 1, round,
                    signals, "signals", latency, Map.of()));
        }
    }

    private static void awaitAtLeast(IntSupplier count, int target, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (count.getAsInt() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count.getAsInt() + " of " + target + " " + what + " after " + PATIENCE);
            }
            Benchmarks.pause(Duration.ofMillis(1));
        }
    }
}
