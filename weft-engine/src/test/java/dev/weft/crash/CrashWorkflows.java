package dev.weft.crash;

import dev.weft.activity.ActivityContext;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.activity.Reconciliation;
import dev.weft.failure.NonRetryableException;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The workflows and activities of the crash and multi-node tests, registered alike in the child
 * worker and in the test JVM. Every activity records its execution in {@link Effects} before it
 * returns; an activity can be made to wait at a gate (after recording that it began) or to fail
 * its first attempt.
 */
final class CrashWorkflows {

    static final String THREE_STEPS = "three-steps";
    static final String NAPPING = "napping";
    static final String AWAITING_SIGNAL = "awaiting-signal";
    static final String AWAITING_APPROVAL = "awaiting-approval";
    static final String HAND_OFF = "handOff";
    static final String KEYED_CHARGE = "keyed-charge";
    static final String CHARGE = "charge";
    /** Gates of the charge activity: after its reconciliation record is written and before its side effect, and after it. */
    static final String BEFORE_CHARGE = "charge-before";
    static final String AFTER_CHARGE = "charge-after";
    static final String MEMO_CHARGE = "memo-charge";
    /** Gate inside the memo callback of {@link #memoCharge}, after its keyed charge returned. */
    static final String IN_MEMO = "in-memo";
    /** A saga of reserve, pay and ship, whose ship always fails: refund, then release, are its compensations. */
    static final String COMPENSATING = "compensating";
    static final String SHIP = "ship";
    static final String REFUND = "refund";
    static final String RELEASE = "release";
    static final String GO = "go";
    static final Duration NAP = Duration.ofHours(1);
    static final List<String> STEPS = List.of("step1", "step2", "step3");
    static final String QUEUE = "crash";
    static final String QUEUED_STEP = "queued-step";

    private final Effects effects;
    private final Consumer<String> announce;
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final Set<String> failingFirstAttempt = ConcurrentHashMap.newKeySet();
    private final AtomicInteger returned = new AtomicInteger();

    /**
     * @param announce hears a line for each execution that reaches a gate ({@code GATED <run> <activity> <attempt>})
     */
    CrashWorkflows(Effects effects, Consumer<String> announce) {
        this.effects = effects;
        this.announce = announce;
    }

    /** One call of step1 on {@link #QUEUE}, with a short visibility timeout. */
    static WorkflowDefinition<String, String> queuedStep() {
        ActivityOptions options = ActivityOptions.builder().queue(QUEUE).visibilityTimeout(Duration.ofSeconds(2)).build();
        return WorkflowDefinition.of(QUEUED_STEP, String.class, String.class, (context, input) -> context.run("step1", input,
                String.class, options));
    }

    /** Three activities in a row, each given the previous one's result. */
    static WorkflowDefinition<String, String> threeSteps() {
        return WorkflowDefinition.of(THREE_STEPS, String.class, String.class, (context, input) -> {
            String first = context.run("step1", input, String.class);
            String second = context.run("step2", first, String.class);
            return context.run("step3", second, String.class);
        });
    }

    /** The first activity, a durable sleep of {@link #NAP}, then the other two. */
    static WorkflowDefinition<String, String> napping() {
        return WorkflowDefinition.of(NAPPING, String.class, String.class, (context, input) -> {
            String first = context.run("step1", input, String.class);
            context.sleep(NAP);
            String second = context.run("step2", first, String.class);
            return context.run("step3", second, String.class);
        });
    }

    /** The first activity, a wait for the signal {@link #GO} without a deadline, then the other two given the signal's payload. */
    static WorkflowDefinition<String, String> awaitingSignal() {
        return WorkflowDefinition.of(AWAITING_SIGNAL, String.class, String.class, (context, input) -> {
            String first = context.run("step1", input, String.class);
            String go = context.awaitSignal(GO, String.class);
            String second = context.run("step2", first + "+" + go, String.class);
            return context.run("step3", second, String.class);
        });
    }

    /** The first activity, then one completed out of band by its token, then the other two given what the token brought. */
    static WorkflowDefinition<String, String> awaitingApproval() {
        return WorkflowDefinition.of(AWAITING_APPROVAL, String.class, String.class, (context, input) -> {
            String first = context.run("step1", input, String.class);
            String approval = context.run(HAND_OFF, first, String.class);
            String second = context.run("step2", first + "+" + approval, String.class);
            return context.run("step3", second, String.class);
        });
    }

    /** A charge under the idempotency key {@code charge/<input>}, then step 3 given its receipt. */
    static WorkflowDefinition<String, String> keyedCharge() {
        return WorkflowDefinition.of(KEYED_CHARGE, String.class, String.class, (context, input) -> {
            String receipt = context.run(CHARGE, input, String.class, ActivityOptions.builder().idempotencyKey("charge/" + input).build());
            return context.run("step3", receipt, String.class);
        });
    }

    /** The keyed charge made by helper code inside a memo callback, which then waits at {@link #IN_MEMO}; then step 3. */
    WorkflowDefinition<String, String> memoCharge() {
        return WorkflowDefinition.of(MEMO_CHARGE, String.class, String.class, (context, input) -> {
            String receipt = context.memo("pay", String.class, () -> {
                String charged = context.run(CHARGE, input, String.class, ActivityOptions.builder().idempotencyKey("charge/" + input).build());
                try {
                    pauseAt(IN_MEMO, context.workflowId());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return charged;
            });
            return context.run("step3", receipt, String.class);
        });
    }

    /** Reserve, then pay, then ship (which fails for good), as one saga: the failure runs refund, then release. */
    static WorkflowDefinition<String, String> compensating() {
        return WorkflowDefinition.of(COMPENSATING, String.class, String.class, (context, input) -> context.saga(saga -> {
            String reserved = context.run("reserve", input, String.class);
            String paid = context.run("pay", reserved, String.class);
            return context.run(SHIP, paid, String.class);
        }));
    }

    /**
     * The activities of {@link #compensating()}: the steps and the compensations record their
     * executions as every activity here does (and can be gated alike); ship fails without retry.
     */
    List<ActivityDefinition<?, String>> sagaActivities() {
        ActivityDefinition<String, String> ship = ActivityDefinition.of(SHIP, String.class, String.class, (input, context) -> {
            execute(SHIP, input, context);
            throw new NonRetryableException("ship refused " + input);
        });
        return List.of(compensated("reserve", RELEASE), compensated("pay", REFUND), ship, compensation(REFUND), compensation(RELEASE));
    }

    private ActivityDefinition<String, String> compensated(String name, String compensation) {
        return activity(name).withOptions(ActivityOptions.builder().compensation(compensation).build());
    }

    /** A compensation: given its step's input and output, it records its execution like any activity. */
    @SuppressWarnings("rawtypes")
    private ActivityDefinition<Map, String> compensation(String name) {
        return ActivityDefinition.of(name, Map.class, String.class, (undone, context) -> execute(name, String.valueOf(undone.get("output")), context));
    }

    /** What a charge of {@code input} returns, and what its verifier reconstructs from the effects table. */
    static String receiptOf(String input) {
        return "charged(" + input + ")";
    }

    /**
     * The charge: its side effect is one finished row in the effects table. With a verifier, a
     * dispatch left unresolved by a crash is reconciled against that table: a finished row of the
     * run's charge means the charge completed, with the receipt rebuilt from the input.
     */
    ActivityDefinition<String, String> charge(boolean verified) {
        ActivityDefinition<String, String> charge = ActivityDefinition.of(CHARGE, String.class, String.class, (input, context) -> {
            pause(BEFORE_CHARGE, context);
            effects.finish(effects.begin(context.workflowId(), CHARGE, context.attempt()));
            pause(AFTER_CHARGE, context);
            returned.incrementAndGet();
            return receiptOf(input);
        });
        if (!verified) {
            return charge;
        }
        return charge.withVerifier((input, context) -> effects.of(CHARGE).stream()
                .anyMatch(execution -> execution.runId().equals(context.runId()) && execution.finished())
                ? Reconciliation.completedWithResult(receiptOf(input)) : Reconciliation.notCompleted());
    }

    /** What either workflow returns for a run started with its own id as input. */
    static String resultOf(String runId) {
        return "step3(step2(step1(" + runId + ")))";
    }

    List<ActivityDefinition<String, String>> activities() {
        List<ActivityDefinition<String, String>> all = new java.util.ArrayList<>(STEPS.stream().map(this::activity).toList());
        all.add(ActivityDefinition.of(HAND_OFF, String.class, String.class, (input, context) -> context.completeAsync()));
        return all;
    }

    /** Makes every later execution of {@code activity} wait, once it has begun, until {@link #open(String)}. */
    void gate(String activity) {
        gates.put(activity, new CountDownLatch(1));
    }

    void open(String activity) {
        CountDownLatch gate = gates.remove(activity);
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Makes attempt 1 of {@code activity} throw, after recording its execution. */
    void failFirstAttempt(String activity) {
        failingFirstAttempt.add(activity);
    }

    /** How many executions have returned or thrown so far. */
    int returned() {
        return returned.get();
    }

    private ActivityDefinition<String, String> activity(String name) {
        return ActivityDefinition.of(name, String.class, String.class, (input, context) -> execute(name, input, context));
    }

    private String execute(String name, String input, ActivityContext context) throws InterruptedException {
        long execution = effects.begin(context.workflowId(), name, context.attempt());
        pause(name, context);
        effects.finish(execution);
        returned.incrementAndGet();
        if (context.attempt() == 1 && failingFirstAttempt.contains(name)) {
            throw new IllegalStateException(name + " fails its first attempt");
        }
        return name + "(" + input + ")";
    }

    /** Waits at the gate named {@code point}, if one is set, announcing it. */
    private void pause(String point, ActivityContext context) throws InterruptedException {
        CountDownLatch gate = gates.get(point);
        if (gate != null) {
            announce.accept("GATED " + context.workflowId() + " " + point + " " + context.attempt());
            gate.await();
        }
    }

    /** Waits at the gate named {@code point} in workflow code, if one is set, announcing it. */
    private void pauseAt(String point, String runId) throws InterruptedException {
        CountDownLatch gate = gates.get(point);
        if (gate != null) {
            announce.accept("GATED " + runId + " " + point);
            gate.await();
        }
    }
}
