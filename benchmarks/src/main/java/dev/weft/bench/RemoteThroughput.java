package dev.weft.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.WeftEngineBuilder;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.queue.QueueOptions;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.TimeSource;
import dev.weft.workflow.WorkflowDefinition;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * W8: the no-op activities of W7 run by remote workers, child JVMs of the plain-Java worker
 * library connected over WebSocket to an engine node in this JVM ({@link RemoteNode}), beside the
 * in-process queue of W7 in the same rounds. At concurrency 64: workflows of three activities
 * through a pool of 64 on the engine's node, through one worker process of 64 slots and through
 * four of 16, in an order that turns from round to round; at concurrency 1: one-step workflows one
 * after another through the idle pool and through one idle worker. Throughput is in activities per
 * second; the latency is each activity's dispatch latency, from the workflow's call until the
 * activity starts, measured on the wall clock that the JVMs share ({@link WallClock}): the workflow
 * passes the time of its call as the activity's input, and the activity answers how long it waited.
 */
final class RemoteThroughput {

    static final String QUEUE = "w8";
    static final String NOOP = "w8.noop";
    private static final int CONCURRENCY = 64;
    private static final ActivityOptions QUEUED = ActivityOptions.builder().queue(QUEUE).build();
    private static final WorkflowDefinition<Integer, long[]> THREE_STEPS = steps("w8.three-steps", 3);
    private static final WorkflowDefinition<Integer, long[]> ONE_STEP = steps("w8.one-step", 1);

    /** Where the activities run, how many workflows at once, and the workflow. */
    private record Setup(String variant, int workers, int concurrency, WorkflowDefinition<Integer, long[]> flow) {

        int steps() {
            return flow == THREE_STEPS ? 3 : 1;
        }
    }

    private static final List<Setup> LOADED = List.of(
            new Setup("in-process pool of 64, 3 steps", 0, CONCURRENCY, THREE_STEPS),
            new Setup("1 remote worker of 64, 3 steps", 1, CONCURRENCY, THREE_STEPS),
            new Setup("4 remote workers of 16, 3 steps", 4, CONCURRENCY, THREE_STEPS));
    private static final List<Setup> IDLE = List.of(
            new Setup("in-process idle pool, 1 step", 0, 1, ONE_STEP),
            new Setup("1 idle remote worker, 1 step", 1, 1, ONE_STEP));

    private final Database database;
    private final Scale scale;
    private final Consumer<Trial> sink;

    RemoteThroughput(Database database, Scale scale, Consumer<Trial> sink) {
        this.database = database;
        this.scale = scale;
        this.sink = sink;
    }

    /** Each activity answers its dispatch latency; the workflow returns them, so a replay could not count one twice. */
    private static WorkflowDefinition<Integer, long[]> steps(String name, int steps) {
        return WorkflowDefinition.of(name, Integer.class, long[].class, (ctx, input) -> {
            long[] waited = new long[steps];
            for (int i = 0; i < steps; i++) {
                waited[i] = Objects.requireNonNull(ctx.run(NOOP, WallClock.micros(), Long.class, QUEUED));
            }
            return waited;
        });
    }

    void run() throws Exception {
        for (int round = 0; round <= scale.rounds(); round++) {
            int workflows = round == 0 ? scale.warmUp(scale.throughputWorkflows()) : scale.throughputWorkflows();
            for (int i = 0; i < LOADED.size(); i++) {
                trial(round, LOADED.get((round + i) % LOADED.size()), workflows);
            }
            int idle = round == 0 ? scale.warmUp(scale.overheadWorkflows()) : scale.overheadWorkflows();
            for (int i = 0; i < IDLE.size(); i++) {
                trial(round, IDLE.get((round + i) % IDLE.size()), idle);
            }
        }
    }

    private void trial(int round, Setup setup, int workflows) throws Exception {
        database.truncate();
        Histogram dispatch = new ConcurrentHistogram(3);
        String node = "w8-" + UUID.randomUUID();
        Meter meter = Meter.start(database);
        try (HikariDataSource pool = database.pool(CONCURRENCY + 8, "w8"); JdbcWorkflowStore store = Flows.store(pool);
             WeftEngine engine = engine(store, node, setup.workers() == 0).build();
             @Nullable RemoteNode server = setup.workers() == 0 ? null : new RemoteNode(engine);
             @Nullable WorkerProcesses workers = server == null ? null
                     : WorkerProcesses.start(server.url(), QUEUE, setup.workers(), CONCURRENCY / setup.workers(), node)) {
            meter.startClock();
            ClosedLoop.run(setup.concurrency(), workflows, i -> {
                for (long waited : Objects.requireNonNull(engine.start(setup.flow(), i, StartOptions.defaults()).result())) {
                    dispatch.recordValue(Math.max(1, waited));
                }
            });
            meter.stopClock();
        }
        sink.accept(meter.finish("W8", "engine", setup.variant(), setup.concurrency(), round, (long) workflows * setup.steps(),
                "activities", dispatch, Map.of("workers", (double) setup.workers())));
    }

    /**
     * The engine of a trial; its own pool serves the queue only when {@code inProcess}, else only the
     * remote workers do. The activity is registered either way: the engine knows its types.
     */
    private static WeftEngineBuilder engine(JdbcWorkflowStore store, String node, boolean inProcess) {
        WeftEngineBuilder builder = Flows.engine(store, node, TimeSource.system())
                .workflow(THREE_STEPS).workflow(ONE_STEP)
                .activity(ActivityDefinition.of(NOOP, Long.class, Long.class, (calledAt, ctx) -> WallClock.microsSince(calledAt)));
        return inProcess ? builder.queue(QUEUE, QueueOptions.concurrency(CONCURRENCY)) : builder;
    }
}
