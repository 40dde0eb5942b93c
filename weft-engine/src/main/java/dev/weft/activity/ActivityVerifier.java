package dev.weft.activity;

import org.jspecify.annotations.Nullable;

/**
 * Checks a keyed activity's side effect against the external system it touched, in two phases.
 *
 * <ul>
 *   <li>{@link #reconcile} before dispatch: the step's reconciliation record says an attempt was
 *       dispatched, but the engine never learned its outcome (a crash between the side effect and
 *       its checkpoint). Only the external system can tell whether dispatching again is safe.
 *   <li>{@link #accept} after an attempt returned: {@code false} rejects the result, which then
 *       counts as a failed attempt under the retry policy.
 * </ul>
 *
 * @param <I> the activity's input type
 * @param <R> its result type
 */
public interface ActivityVerifier<I, R> {

    /**
     * Whether the attempt dispatched before the crash completed. An exception, or a {@code null}
     * answer, fails the step closed, as {@link Reconciliation.Indeterminate} does.
     */
    Reconciliation reconcile(@Nullable I input, VerificationContext context) throws Exception;

    /** Whether to accept {@code result}: true by default. */
    default boolean accept(@Nullable I input, @Nullable R result, VerificationContext context) throws Exception {
        return true;
    }
}
