package dev.weft.soak;

import dev.weft.activity.ActivityContext;
import dev.weft.activity.ActivityDefinition;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The workflow every soak run follows: an activity, a durable sleep between two recorded
 * {@code now()}s, a wait for a signal, then two more activities. Each activity records its
 * execution in the {@link ExecutionLog} and takes a little time; one run in {@link #LONG_STEP_EVERY}
 * has a last step longer than the soak's lease, so that a partition catches steps that must be
 * stopped before another node may take them.
 */
final class SoakWorkflow {

    static final String TYPE = "soak-order";
    static final String SIGNAL = "go";
    static final String FIRST_STEP = "reserve";
    /** The step that follows the sleep: none of its executions may begin before the sleep's due time. */
    static final String STEP_AFTER_SLEEP = "charge";
    static final String LAST_STEP = "ship";
    static final List<String> STEPS = List.of(FIRST_STEP, STEP_AFTER_SLEEP, LAST_STEP);
    static final Duration SLEEP = Duration.ofSeconds(2);
    /** The journal position of the time recorded just before the sleep. */
    static final int SLEPT_FROM_SEQ = 2;
    /** The journal position of the time recorded just after the sleep ended. */
    static final int WOKE_AT_SEQ = 4;
    static final int LONG_STEP_EVERY = 50;
    static final Duration LONG_STEP = Duration.ofSeconds(8);

    private final ExecutionLog log;

    SoakWorkflow(ExecutionLog log) {
        this.log = log;
    }

    static WorkflowDefinition<String, String> definition() {
        return WorkflowDefinition.of(TYPE, String.class, String.class, (context, input) -> {
            String reserved = context.run(FIRST_STEP, input, String.class);
            // recorded at SLEPT_FROM_SEQ and WOKE_AT_SEQ, for the check that no timer fired early: the
            // sleep's due time is no earlier than the first plus the sleep
            context.now();
            context.sleep(SLEEP);
            context.now();
            String go = context.awaitSignal(SIGNAL, String.class);
            String charged = context.run(STEP_AFTER_SLEEP, reserved + "+" + go, String.class);
            return context.run(LAST_STEP, charged, String.class);
        });
    }

    /** What a run started with its own id as input returns. */
    static String resultOf(String runId) {
        return LAST_STEP + "(" + STEP_AFTER_SLEEP + "(" + FIRST_STEP + "(" + runId + ")+" + SIGNAL + "))";
    }

    List<ActivityDefinition<String, String>> activities() {
        return STEPS.stream().map(step -> ActivityDefinition.of(step, String.class, String.class,
                (String input, ActivityContext context) -> execute(step, input, context))).toList();
    }

    private String execute(String step, String input, ActivityContext context) throws InterruptedException {
        String execution = log.begin(context.workflowId(), step, context.attempt());
        try {
            Thread.sleep(duration(step, context.workflowId()));
        } finally {
            log.finish(execution);
        }
        return step + "(" + input + ")";
    }

    /** Whether this step of this run is one of the long ones. */
    static boolean isLong(String step, String runId) {
        return step.equals(LAST_STEP) && Math.floorMod(runId.hashCode(), LONG_STEP_EVERY) == 0;
    }

    private static Duration duration(String step, String runId) {
        if (isLong(step, runId)) {
            return LONG_STEP;
        }
        return Duration.ofMillis(ThreadLocalRandom.current().nextInt(10, 60));
    }
}
