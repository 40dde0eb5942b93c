package dev.weft.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a public bean method an activity. Called inside a running workflow, the call is a durable
 * step: it runs (with retries) once, and a replay returns its recorded result. Called anywhere
 * else it is a plain method call.
 *
 * <p>The method takes at most one payload parameter (serialized as JSON) and optionally an
 * {@link dev.weft.activity.ActivityContext} parameter, which is injected; its return value is the
 * step's result. Every text attribute accepts {@code ${...}} placeholders; an empty one falls
 * through to the engine's defaults ({@code weft.retry.*}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Activity {

    /** The activity name, persisted in the journal: the method name when empty. */
    String name() default "";

    /** Attempts in all, the first included, such as {@code "5"}. */
    String maxAttempts() default "";

    /** Wait before the second attempt, as a duration such as {@code "1s"} or {@code "PT1S"}. */
    String initialBackoff() default "";

    /** Factor by which each wait grows, such as {@code "2.0"}. */
    String backoffMultiplier() default "";

    /** Longest wait between two attempts, such as {@code "30s"}. */
    String maxBackoff() default "";

    /** Per-attempt time limit, such as {@code "10s"}; the attempt's cancellation fires when it passes. */
    String timeout() default "";

    /** Budget of all attempts and the waits between them, from the first dispatch, such as {@code "5m"}. */
    String scheduleToCloseTimeout() default "";

    /**
     * The queue a worker pool takes the activity from (on any node that serves it); inline when
     * empty. See {@code docs/queues.md}.
     */
    String queue() default "";

    /**
     * How long a worker's claim of a queued attempt lasts unless its node extends it, such as
     * {@code "60s"}; the engine's default (30 s) when empty. Queued activities only.
     */
    String visibilityTimeout() default "";

    /** A queued call's priority, higher first, such as {@code "5"}; 0 when empty. */
    String priority() default "";

    /**
     * A SpEL expression, over the method's arguments as {@code @Cacheable} keys are, that gives the
     * idempotency key of a call, such as {@code "'charge/' + #order.id"} ({@code #p0} names the
     * payload too). A keyed call writes a reconciliation record before each dispatch and records
     * its result as soon as it returns: see {@link dev.weft.activity.ActivityOptions#idempotencyKey()}.
     */
    String idempotencyKey() default "";

    /**
     * The name of the activity that undoes this one inside a
     * {@link dev.weft.workflow.WorkflowContext#saga saga}. It is called with the JSON object
     * {@code {"input": <this call's input>, "output": <its result>}}, so its parameter is a record
     * with the components {@code input} and {@code output}. It must name a registered activity.
     */
    String compensate() default "";

    /**
     * The name of a bean implementing {@link dev.weft.activity.ActivityVerifier} for this activity:
     * it reconciles a keyed call whose dispatch a crash left unresolved, and may reject results.
     */
    String verifier() default "";

    /** Declares the activity idempotent; introspection only. */
    boolean idempotent() default false;

    /** Exceptions that end the activity at once, matched by their exact class. */
    Class<? extends Throwable>[] nonRetryable() default {};

    /** Further non-retryable failures: simple or qualified class names, or exact messages. */
    String[] nonRetryableErrors() default {};
}
