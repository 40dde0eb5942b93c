package dev.weft.activity;

import org.jspecify.annotations.Nullable;

/**
 * A verifier's answer, before a keyed activity is dispatched again, to "did the attempt that was
 * dispatched before the crash take effect?" Only {@link NotCompleted} lets the engine dispatch;
 * {@link CompletedWithResult} supplies the result instead; the others fail the step closed.
 */
public sealed interface Reconciliation {

    /** The external system reports no completed side effect: dispatching again is safe. */
    record NotCompleted() implements Reconciliation {
    }

    /** The side effect completed, and this is the result the activity would have returned. */
    record CompletedWithResult(@Nullable Object result) implements Reconciliation {
    }

    /** The side effect completed, but its result cannot be reconstructed. Fails closed. */
    record CompletedResultUnavailable() implements Reconciliation {
    }

    /** Whether the side effect completed cannot be proved. Fails closed. */
    record Indeterminate(String reason) implements Reconciliation {
    }

    static Reconciliation notCompleted() {
        return new NotCompleted();
    }

    static Reconciliation completedWithResult(@Nullable Object result) {
        return new CompletedWithResult(result);
    }

    static Reconciliation completedResultUnavailable() {
        return new CompletedResultUnavailable();
    }

    static Reconciliation indeterminate(String reason) {
        return new Indeterminate(reason);
    }
}
