package dev.weft.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.dbos.transact.workflow.Queue;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.queue.QueueOptions;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.TimeSource;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * W7: workflows of three no-op activities in a closed loop at concurrency 64, the activities run
 * inline and through a queue served by a pool of 64 on the same node; and one-step workflows one
 * after another (concurrency 1), through an idle pool. With the peer DBOS (PostgreSQL, {@code dbos}),
 * the same shapes through a DBOS queue of 64 workers, polled at DBOS's default interval and at a
 * short one. Each round runs every way once, in an order that turns from round to round.
 *
 * <p>Throughput is in activities per second; the latency reported is the dispatch latency of each
 * activity, from the workflow's call until the activity starts (for a queued one: enqueued,
 * committed, claimed, started), measured on this JVM's clock the same way for both systems: the
 * call's {@link System#nanoTime()} travels as the activity's input.
 */
final class QueueThroughput {

    static final String QUEUE = "w7";
    private static final String NOOP = "w7.noop";
    private static final int CONCURRENCY = 64;
    /** A short DBOS poll: its queues are polled, so the interval bounds how soon an idle queue starts work. */
    private static final Duration DBOS_SHORT_POLL = Duration.ofMillis(10);

    /** The dispatch latencies of the trial in progress, in microseconds. */
    private static volatile Histogram dispatch = new ConcurrentHistogram(3);

    /**
     * One way of running the activities: the engine inline or through its queue, or DBOS through
     * its queue polled every {@code poll}.
     */
    private record Way(String system, String how, boolean queued, @Nullable Duration poll) {

        static final Way INLINE = new Way("engine", "inline", false, null);
        static final Way QUEUED = new Way("engine", "queued", true, null);
        static final Way DBOS = new Way("DBOS", "queued, poll 1 s (default)", true, Queue.DEFAULT_POLLING_INTERVAL);
        static final Way DBOS_SHORT = new Way("DBOS", "queued, poll 10 ms", true, DBOS_SHORT_POLL);

        String variant(int steps, boolean idle) {
            return how + (idle ? (poll == null ? ", idle pool" : ", idle queue") : "") + ", " + steps + (steps == 1 ? " step" : " steps");
        }
    }

    private final Database database;
    private final Scale scale;
    private final Consumer<Trial> sink;
    private final boolean dbos;

    /** @param dbos whether the peer DBOS runs too (PostgreSQL only: DBOS supports no other database) */
    QueueThroughput(Database database, Scale scale, Consumer<Trial> sink, boolean dbos) {
        this.database = database;
        this.scale = scale;
        this.sink = sink;
        this.dbos = dbos && database.kind() == Database.Kind.POSTGRESQL;
    }

    /** Records the dispatch latency of an activity called at {@code calledAt} ({@link System#nanoTime()}) and starting now. */
    static void recordDispatch(long calledAt) {
        dispatch.recordValue(Math.max(1, (System.nanoTime() - calledAt) / 1000));
    }

    private static WorkflowDefinition<Integer, Integer> steps(String name, int steps, ActivityOptions options) {
        return WorkflowDefinition.of(name, Integer.class, Integer.class, (ctx, input) -> {
            Integer value = input;
            for (int i = 0; i < steps; i++) {
                // the call's time travels as the input: the activity measures its own dispatch
                ctx.run(NOOP, System.nanoTime(), Long.class, options);
            }
            return value;
        });
    }

    private static final ActivityOptions QUEUED = ActivityOptions.builder().queue(QUEUE).build();
    private static final WorkflowDefinition<Integer, Integer> INLINE_THREE = steps("w7.inline", 3, ActivityOptions.none());
    private static final WorkflowDefinition<Integer, Integer> QUEUED_THREE = steps("w7.queued", 3, QUEUED);
    private static final WorkflowDefinition<Integer, Integer> QUEUED_ONE = steps("w7.queued-one", 1, QUEUED);

    void run() {
        List<Way> busy = dbos ? List.of(Way.INLINE, Way.QUEUED, Way.DBOS, Way.DBOS_SHORT) : List.of(Way.INLINE, Way.QUEUED);
        List<Way> idle = dbos ? List.of(Way.QUEUED, Way.DBOS, Way.DBOS_SHORT) : List.of(Way.QUEUED);
        for (int round = 0; round <= scale.rounds(); round++) {
            int perTrial = database.kind() == Database.Kind.POSTGRESQL ? scale.throughputWorkflows() : scale.otherDatabaseWorkflows();
            int workflows = round == 0 ? scale.warmUp(perTrial) : perTrial;
            for (Way way : EngineWorkloads.order(round, busy)) {
                trial(round, way, CONCURRENCY, workflows, 3);
            }
            int single = round == 0 ? scale.warmUp(scale.overheadWorkflows()) : scale.overheadWorkflows();
            for (Way way : EngineWorkloads.order(round, idle)) {
                trial(round, way, 1, single, 1);
            }
        }
    }

    private void trial(int round, Way way, int concurrency, int workflows, int steps) {
        database.truncate();
        if (way.poll() != null) {
            DbosPeer.truncate(database);
        }
        dispatch = new ConcurrentHistogram(3);
        Meter meter = Meter.start(database);
        try (HikariDataSource pool = database.pool(concurrency + 8, "w7")) {
            if (way.poll() != null) {
                dbosLoop(meter, pool, way.poll(), concurrency, workflows, steps);
            } else {
                engineLoop(meter, pool, way.queued(), concurrency, workflows, steps);
            }
        }
        sink.accept(meter.finish("W7", way.system(), way.variant(steps, concurrency == 1), concurrency, round,
                (long) workflows * steps, "activities", dispatch, Map.of()));
    }

    private static void engineLoop(Meter meter, HikariDataSource pool, boolean queued, int concurrency, int workflows, int steps) {
        WorkflowDefinition<Integer, Integer> flow = !queued ? INLINE_THREE : steps == 1 ? QUEUED_ONE : QUEUED_THREE;
        try (JdbcWorkflowStore store = Flows.store(pool);
             WeftEngine engine = Flows.engine(store, "w7-" + UUID.randomUUID(), TimeSource.system())
                     .workflow(flow)
                     .activity(ActivityDefinition.of(NOOP, Long.class, Long.class, (calledAt, ctx) -> {
                         recordDispatch(calledAt);
                         return calledAt;
                     }))
                     .queue(QUEUE, QueueOptions.concurrency(CONCURRENCY))
                     .build()) {
            meter.startClock();
            ClosedLoop.run(concurrency, workflows, i -> engine.start(flow.name(), i, StartOptions.defaults()).result());
            meter.stopClock();
        }
    }

    private static void dbosLoop(Meter meter, HikariDataSource pool, Duration poll, int concurrency, int workflows, int steps) {
        try (DbosPeer peer = DbosPeer.launchWithQueue(pool, "w7-" + UUID.randomUUID(), CONCURRENCY, poll)) {
            meter.startClock();
            ClosedLoop.run(concurrency, workflows, i -> peer.queuedSteps(i, steps));
            meter.stopClock();
        }
    }
}
