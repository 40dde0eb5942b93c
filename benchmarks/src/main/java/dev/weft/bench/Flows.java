package dev.weft.bench;

import dev.weft.WeftEngine;
import dev.weft.WeftEngineBuilder;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.TimeSource;
import dev.weft.workflow.Step;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** The workflows and activities of the workloads, and an engine that knows them all. */
final class Flows {

    static final String NOOP = "noop";
    static final WorkflowDefinition<Integer, Integer> THREE_STEPS = steps("w1.three-steps", 3);
    static final WorkflowDefinition<Integer, Integer> NO_STEPS = steps("w2.no-steps", 0);
    static final WorkflowDefinition<Integer, Integer> TEN_STEPS = steps("w2.ten-steps", 10);
    /** Ten steps, each with an idempotency key of its own: the cost of a key's reconciliation record. */
    static final WorkflowDefinition<Integer, Integer> TEN_KEYED_STEPS = WorkflowDefinition.of("w2.ten-keyed-steps", Integer.class,
            Integer.class, (ctx, input) -> {
                Integer value = input;
                for (int i = 0; i < 10; i++) {
                    value = ctx.run(NOOP, value, Integer.class, ActivityOptions.builder().idempotencyKey("step-" + i).build());
                }
                return value;
            });
    static final WorkflowDefinition<Integer, Integer> NAP = WorkflowDefinition.of("w4.nap", Integer.class, Integer.class,
            (ctx, input) -> {
                ctx.sleep(Duration.ofHours(1));
                return input;
            });
    static final int FAN_OUT = 1000;
    static final WorkflowDefinition<Integer, Integer> FAN_OUT_FLOW = WorkflowDefinition.of("w5.fan-out", Integer.class,
            Integer.class, (ctx, input) -> {
                int width = Objects.requireNonNull(input);
                List<Step.ActivityStep<Integer>> branches = new ArrayList<>(width);
                for (int i = 0; i < width; i++) {
                    branches.add(Step.activity("w5.mark", i, Integer.class));
                }
                fanOutStarted = System.nanoTime();
                return ctx.all(branches).size();
            });

    // W3: step 1 is recorded before the kill, step 2 never finishes in the process that is killed
    static final String STEP_ONE = "w3.step1";
    static final String STEP_TWO = "w3.step2";
    static final WorkflowDefinition<Integer, Integer> RECOVERABLE = WorkflowDefinition.of("w3.recoverable", Integer.class,
            Integer.class, (ctx, input) -> {
                Integer one = ctx.run(STEP_ONE, input, Integer.class);
                Integer two = ctx.run(STEP_TWO, one, Integer.class);
                return ctx.run(NOOP, two, Integer.class);
            });

    // W9: a run waits for a signal, then marks when its code goes on
    static final String W9_SIGNAL = "go";
    static final String W9_MARK = "w9.mark";
    /** Waits less than parkAfter: its engine keeps it in memory. */
    static final WorkflowDefinition<Integer, Integer> W9_HELD = WorkflowDefinition.of("w9.held", Integer.class, Integer.class,
            (ctx, input) -> {
                ctx.awaitSignal(W9_SIGNAL, Long.class, Duration.ofMinutes(30));
                return ctx.run(W9_MARK, input, Integer.class);
            });
    /** Waits without a deadline: with parkAfter zero, its engine parks it. */
    static final WorkflowDefinition<Integer, Integer> W9_PARKED = WorkflowDefinition.of("w9.parked", Integer.class, Integer.class,
            (ctx, input) -> {
                ctx.awaitSignal(W9_SIGNAL, Long.class);
                return ctx.run(W9_MARK, input, Integer.class);
            });
    /** When each W9 run's code went on after its wait (System.nanoTime). */
    private static final Map<String, Long> W9_RESUMED_AT = new java.util.concurrent.ConcurrentHashMap<>();
    /** Told each W9 run that went on. */
    static volatile Consumer<String> w9Resumed = id -> { };

    static long w9ResumedAt(String runId) {
        return W9_RESUMED_AT.get(runId);
    }

    /** When the fan-out workflow handed its branches to {@code all}. */
    static volatile long fanOutStarted;
    /** Receives, for each fan-out branch, the nanoseconds from {@link #fanOutStarted} to its start. */
    static volatile Consumer<Long> fanOutStartDelay = delay -> { };
    /** Executions of W3's step 1 in this process. */
    static final AtomicInteger STEP_ONE_EXECUTIONS = new AtomicInteger();
    /** Holds W3's step 2 while it is not opened (in the process that will be killed). */
    static volatile CountDownLatch stepTwoGate = new CountDownLatch(0);

    private Flows() {
    }

    private static WorkflowDefinition<Integer, Integer> steps(String name, int steps) {
        return WorkflowDefinition.of(name, Integer.class, Integer.class, (ctx, input) -> {
            Integer value = input;
            for (int i = 0; i < steps; i++) {
                value = ctx.run(NOOP, value, Integer.class);
            }
            return value;
        });
    }

    /** The workflow of {@code steps} no-op steps: W1's three, W2's none or ten. */
    static WorkflowDefinition<Integer, Integer> steps(int steps) {
        return switch (steps) {
            case 0 -> NO_STEPS;
            case 3 -> THREE_STEPS;
            case 10 -> TEN_STEPS;
            default -> throw new IllegalArgumentException("no workflow of " + steps + " steps");
        };
    }

    static Integer noop(Integer input) {
        return input;
    }

    /** A builder of an engine over {@code store} with every workload's definitions. */
    static WeftEngineBuilder engine(JdbcWorkflowStore store, String node, TimeSource time) {
        return WeftEngine.builder()
                .store(store)
                .nodeId(node)
                .timeSource(time)
                .workflow(THREE_STEPS).workflow(NO_STEPS).workflow(TEN_STEPS).workflow(TEN_KEYED_STEPS).workflow(W9_HELD).workflow(W9_PARKED).workflow(NAP).workflow(FAN_OUT_FLOW)
                .workflow(RECOVERABLE)
                .activity(ActivityDefinition.of(NOOP, Integer.class, Integer.class, (input, ctx) -> noop(input)))
                .activity(ActivityDefinition.of(W9_MARK, Integer.class, Integer.class, (input, ctx) -> {
                    W9_RESUMED_AT.put(ctx.workflowId(), System.nanoTime());
                    w9Resumed.accept(ctx.workflowId());
                    return input;
                }))
                .activity(ActivityDefinition.of("w5.mark", Integer.class, Integer.class, (input, ctx) -> {
                    fanOutStartDelay.accept(System.nanoTime() - fanOutStarted);
                    return input;
                }))
                .activity(ActivityDefinition.of(STEP_ONE, Integer.class, Integer.class, (input, ctx) -> {
                    STEP_ONE_EXECUTIONS.incrementAndGet();
                    return input;
                }))
                .activity(ActivityDefinition.of(STEP_TWO, Integer.class, Integer.class, (input, ctx) -> {
                    stepTwoGate.await();
                    return input;
                }));
    }

    static JdbcWorkflowStore store(DataSource dataSource) {
        return JdbcWorkflowStore.builder(dataSource).tablePrefix(Database.PREFIX).build();
    }
}
