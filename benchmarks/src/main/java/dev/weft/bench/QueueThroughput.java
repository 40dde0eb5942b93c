package dev.weft.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.queue.QueueOptions;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.TimeSource;
import dev.weft.workflow.WorkflowDefinition;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * W7: workflows of three no-op activities in a closed loop at concurrency 64, the activities run
 * inline and through a queue served by a pool of 64 on the same node, in alternating order; and
 * one-step workflows one after another (concurrency 1), through an idle pool. Throughput is in
 * activities per second; the latency reported is the dispatch latency of each activity, from the
 * workflow's call until the activity starts (for a queued one: enqueued, committed, claimed,
 * started), measured on this JVM's clock.
 */
final class QueueThroughput {

    static final String QUEUE = "w7";
    private static final String NOOP = "w7.noop";
    private static final int CONCURRENCY = 64;

    /** The dispatch latencies of the trial in progress, in microseconds. */
    private static volatile Histogram dispatch = new ConcurrentHistogram(3);

    private final Database database;
    private final Scale scale;
    private final Consumer<Trial> sink;

    QueueThroughput(Database database, Scale scale, Consumer<Trial> sink) {
        this.database = database;
        this.scale = scale;
        this.sink = sink;
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
        for (int round = 0; round <= scale.rounds(); round++) {
            int perTrial = database.kind() == Database.Kind.POSTGRESQL ? scale.throughputWorkflows() : scale.otherDatabaseWorkflows();
            int workflows = round == 0 ? scale.warmUp(perTrial) : perTrial;
            boolean inlineFirst = round % 2 == 0;
            trial(round, inlineFirst ? INLINE_THREE : QUEUED_THREE, CONCURRENCY, workflows, 3);
            trial(round, inlineFirst ? QUEUED_THREE : INLINE_THREE, CONCURRENCY, workflows, 3);
            int idle = round == 0 ? scale.warmUp(scale.overheadWorkflows()) : scale.overheadWorkflows();
            trial(round, QUEUED_ONE, 1, idle, 1);
        }
    }

    private void trial(int round, WorkflowDefinition<Integer, Integer> flow, int concurrency, int workflows, int steps) {
        database.truncate();
        dispatch = new ConcurrentHistogram(3);
        Meter meter = Meter.start(database);
        try (HikariDataSource pool = database.pool(concurrency + 8, "w7"); JdbcWorkflowStore store = Flows.store(pool);
             WeftEngine engine = Flows.engine(store, "w7-" + UUID.randomUUID(), TimeSource.system())
                     .workflow(flow)
                     .activity(ActivityDefinition.of(NOOP, Long.class, Long.class, (calledAt, ctx) -> {
                         dispatch.recordValue(Math.max(1, (System.nanoTime() - calledAt) / 1000));
                         return calledAt;
                     }))
                     .queue(QUEUE, QueueOptions.concurrency(CONCURRENCY))
                     .build()) {
            meter.startClock();
            ClosedLoop.run(concurrency, workflows, i -> engine.start(flow.name(), i, StartOptions.defaults()).result());
            meter.stopClock();
        }
        String variant = flow == INLINE_THREE ? "inline, 3 steps" : flow == QUEUED_THREE ? "queued, 3 steps" : "queued, idle pool, 1 step";
        sink.accept(meter.finish("W7", "engine", variant, concurrency, round, (long) workflows * steps, "activities",
                dispatch, Map.of()));
    }
}
