package dev.weft.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.TimeSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * W1 (throughput), W2 (overhead per activity) and W5 (fan-out): each round runs the engine and
 * the baseline R (and in W1 and W2 on PostgreSQL, when asked, the peer DBOS) one after the other,
 * in an order that turns from round to round, on freshly emptied tables.
 */
final class EngineWorkloads {

    static final int[] CONCURRENCIES = {1, 16, 64};
    private static final int POOL_HEADROOM = 8;

    private final Database database;
    private final Scale scale;
    private final Consumer<Trial> sink;
    private final int[] concurrencies;
    private final List<String> systems;

    /**
     * @param concurrencies the concurrencies of W1, {@link #CONCURRENCIES} unless narrowed for development
     * @param dbos whether W1 and W2 run the peer DBOS too (PostgreSQL only: DBOS supports no other database)
     */
    EngineWorkloads(Database database, Scale scale, Consumer<Trial> sink, int[] concurrencies, boolean dbos) {
        this.database = database;
        this.scale = scale;
        this.sink = sink;
        this.concurrencies = concurrencies.clone();
        this.systems = dbos && database.kind() == Database.Kind.POSTGRESQL ? List.of("engine", "R", "DBOS") : List.of("engine", "R");
    }

    /** W1: closed loop of three-step workflows at each concurrency. */
    void throughput() {
        for (int round = 0; round <= scale.rounds(); round++) {
            int perTrial = database.kind() == Database.Kind.POSTGRESQL ? scale.throughputWorkflows() : scale.otherDatabaseWorkflows();
            int workflows = round == 0 ? scale.warmUp(perTrial) : perTrial;
            for (int concurrency : concurrencies) {
                for (String system : order(round, systems)) {
                    record(loop(system, "W1", "3 steps", concurrency, round, workflows, 3));
                }
            }
        }
    }

    /** Clients of W2's second engine variant: enough for the group commit to share commits among runs. */
    private static final int SHARED = 16;

    /** W2: one client, workflows of 0 and of 10 no-op activities, for the engine and R; the engine's also at {@value #SHARED} clients, keyed or not. */
    void overhead() {
        for (int round = 0; round <= scale.rounds(); round++) {
            int workflows = round == 0 ? scale.warmUp(scale.overheadWorkflows()) : scale.overheadWorkflows();
            for (String system : order(round, systems)) {
                Trial[] pair = new Trial[2];
                int[] steps = {0, 10};
                for (int i = 0; i < 2; i++) {
                    pair[i] = loop(system, "W2", steps[i] + " steps", 1, round, workflows, steps[i]);
                }
                // the cost of one step: the difference of the two workflow shapes, per step
                double perStep = (pair[1].extra().get("meanMs") - pair[0].extra().get("meanMs")) / 10;
                double perStepP50 = (pair[1].p50Ms() - pair[0].p50Ms()) / 10;
                pair[1].extra().put("perStepMeanMs", perStep);
                pair[1].extra().put("perStepP50Ms", perStepP50);
                record(pair[0]);
                record(pair[1]);
                if (system.equals("engine")) {
                    // the same ten steps, each keyed: what the reconciliation records add per step
                    record(perStep(engineLoop("W2", "10 keyed steps", 1, round, workflows, Flows.TEN_KEYED_STEPS.name()), pair[0]));
                    // and at 16 clients, where the group commit shares commits among runs
                    Trial none = engineLoop("W2", "0 steps", SHARED, round, workflows, Flows.NO_STEPS.name());
                    record(none);
                    record(perStep(engineLoop("W2", "10 steps", SHARED, round, workflows, Flows.TEN_STEPS.name()), none));
                    record(perStep(engineLoop("W2", "10 keyed steps", SHARED, round, workflows, Flows.TEN_KEYED_STEPS.name()), none));
                }
            }
        }
        record(directCall());
    }

    /** {@code steps} with the cost of one of its ten steps: the difference from {@code none}, the empty workflow, per step. */
    private static Trial perStep(Trial steps, Trial none) {
        steps.extra().put("perStepMeanMs", (steps.extra().get("meanMs") - none.extra().get("meanMs")) / 10);
        steps.extra().put("perStepP50Ms", (steps.p50Ms() - none.p50Ms()) / 10);
        return steps;
    }

    /** W5: one workflow runs {@value Flows#FAN_OUT} activities through {@code all}; R writes the same rows from 64 threads. */
    void fanOut() {
        for (int round = 0; round <= scale.rounds(); round++) {
            for (String system : order(round, List.of("engine", "R"))) {
                database.truncate();
                Meter meter = Meter.start(database);
                Recorder delays = new Recorder(3_600_000_000L, 3);
                Histogram makespan;
                try (HikariDataSource pool = database.pool(64 + POOL_HEADROOM)) {
                    makespan = system.equals("engine") ? engineFanOut(meter, pool, delays) : rawFanOut(meter, pool, delays);
                }
                record(fanOutTrial(meter, system, round, makespan, delays));
            }
        }
    }

    /** One closed loop of {@code system} running workflows of {@code steps} no-op steps. */
    private Trial loop(String system, String workload, String variant, int concurrency, int round, int workflows, int steps) {
        return switch (system) {
            case "engine" -> engineLoop(workload, variant, concurrency, round, workflows, Flows.steps(steps).name());
            case "R" -> rawLoop(workload, variant, concurrency, round, workflows, steps);
            case "DBOS" -> dbosLoop(workload, variant, concurrency, round, workflows, steps);
            default -> throw new IllegalArgumentException("unknown system " + system);
        };
    }

    private Trial engineLoop(String workload, String variant, int concurrency, int round, int workflows, String type) {
        database.truncate();
        Meter meter = Meter.start(database);
        Histogram latency;
        try (HikariDataSource pool = database.pool(concurrency + POOL_HEADROOM); JdbcWorkflowStore store = Flows.store(pool);
             WeftEngine engine = Flows.engine(store, "bench-" + UUID.randomUUID(), TimeSource.system()).build()) {
            meter.startClock();
            latency = ClosedLoop.run(concurrency, workflows, i -> engine.start(type, i, StartOptions.defaults()).result());
            meter.stopClock();
        }
        return meter.finish(workload, "engine", variant, concurrency, round, workflows, "workflows", latency, mean(latency));
    }

    private Trial rawLoop(String workload, String variant, int concurrency, int round, int workflows, int steps) {
        database.truncate();
        Meter meter = Meter.start(database);
        Histogram latency;
        try (HikariDataSource pool = database.pool(concurrency + POOL_HEADROOM)) {
            RawWorkflow raw = new RawWorkflow(pool, "raw");
            meter.startClock();
            latency = ClosedLoop.run(concurrency, workflows, i -> raw.run(i, steps));
            meter.stopClock();
        }
        return meter.finish(workload, "R", variant, concurrency, round, workflows, "workflows", latency, mean(latency));
    }

    private Trial dbosLoop(String workload, String variant, int concurrency, int round, int workflows, int steps) {
        database.truncate();
        DbosPeer.truncate(database);
        Meter meter = Meter.start(database);
        Histogram latency;
        try (HikariDataSource pool = database.pool(concurrency + POOL_HEADROOM);
             DbosPeer dbos = DbosPeer.launch(pool, "bench-" + UUID.randomUUID())) {
            meter.startClock();
            latency = ClosedLoop.run(concurrency, workflows, i -> dbos.steps(i, steps));
            meter.stopClock();
        }
        return meter.finish(workload, "DBOS", variant, concurrency, round, workflows, "workflows", latency, mean(latency));
    }

    private Histogram engineFanOut(Meter meter, HikariDataSource pool, Recorder delays) {
        Histogram makespan = Meter.histogram();
        try (JdbcWorkflowStore store = Flows.store(pool);
             WeftEngine engine = Flows.engine(store, "bench-" + UUID.randomUUID(), TimeSource.system()).build()) {
            Flows.fanOutStartDelay = nanos -> delays.recordValue(Math.max(1, nanos / 1000));
            meter.startClock();
            long start = System.nanoTime();
            Object result = engine.start(Flows.FAN_OUT_FLOW, Flows.FAN_OUT, StartOptions.defaults()).result();
            makespan.recordValue((System.nanoTime() - start) / 1000);
            meter.stopClock();
            if (!Integer.valueOf(Flows.FAN_OUT).equals(result)) {
                throw new IllegalStateException("the fan-out returned " + result);
            }
        } finally {
            Flows.fanOutStartDelay = nanos -> { };
        }
        return makespan;
    }

    private Histogram rawFanOut(Meter meter, HikariDataSource pool, Recorder delays) {
        Histogram makespan = Meter.histogram();
        String runId = UUID.randomUUID().toString();
        meter.startClock();
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newFixedThreadPool(64)) {
            try (Connection conn = pool.getConnection()) {
                RawWorkflow.insertRun(conn, runId, "raw-fan-out");
                RawWorkflow.step(conn, runId, 1, "group");
            }
            List<Future<?>> branches = new ArrayList<>();
            for (int i = 0; i < Flows.FAN_OUT; i++) {
                long seq = i + 2;
                branches.add(threads.submit(() -> {
                    delays.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                    try (Connection conn = pool.getConnection()) {
                        RawWorkflow.step(conn, runId, seq, Integer.toString((int) seq));
                    }
                    return null;
                }));
            }
            for (Future<?> branch : branches) {
                branch.get();
            }
            try (Connection conn = pool.getConnection()) {
                RawWorkflow.complete(conn, runId);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        makespan.recordValue((System.nanoTime() - start) / 1000);
        meter.stopClock();
        return makespan;
    }

    private static Trial fanOutTrial(Meter meter, String system, int round, Histogram makespan, Recorder delays) {
        Histogram delay = delays.getIntervalHistogram();
        Trial trial = meter.finish("W5", system, Flows.FAN_OUT + " branches", 1, round, Flows.FAN_OUT, "activities", delay,
                Map.of("makespanMs", makespan.getMaxValue() / 1000.0));
        return trial;
    }

    /** The same no-op called directly, in a loop: what an activity costs without any engine. */
    private Trial directCall() {
        int calls = 20_000_000;
        long sum = 0;
        for (int warm = 0; warm < 3; warm++) {
            for (int i = 0; i < calls; i++) {
                sum += Flows.noop(i);
            }
        }
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            sum += Flows.noop(i);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sum == 42) {
            System.out.println();
        }
        double ms = seconds * 1000 / calls;
        return new Trial("W2", database.label(), "direct call", "1 call", 1, 1, calls, "calls", seconds, calls / seconds,
                ms, ms, ms, null, null, ms, Map.of("perStepMeanMs", ms));
    }

    private static Map<String, Double> mean(Histogram latency) {
        return Map.of("meanMs", latency.getMean() / 1000.0);
    }

    /**
     * The systems turned by one place a round (of two: the engine first in odd rounds, R first in even
     * ones), so that none always follows the same other.
     */
    static <T> List<T> order(int round, List<T> systems) {
        List<T> turned = new ArrayList<>(systems);
        java.util.Collections.rotate(turned, -((round + 1) % systems.size()));
        return turned;
    }

    private void record(Trial trial) {
        sink.accept(trial);
    }
}
