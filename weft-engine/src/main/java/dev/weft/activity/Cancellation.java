package dev.weft.activity;

import dev.weft.failure.ActivityCancelledException;

/**
 * The cancellation signal of one activity attempt: the Java form of an {@code AbortSignal}. It
 * fires when the workflow is cancelled or when the attempt overruns its per-attempt timeout; it
 * does not fire for the loser of a race. Cancellation is cooperative: an activity that never looks
 * at the signal runs to its end (its thread is interrupted as well, so blocking JDK calls return).
 */
public interface Cancellation {

    boolean isCancelled();

    /** @throws ActivityCancelledException once the signal has fired */
    void throwIfCancelled();

    /** Runs {@code callback} when the signal fires, or at once if it already has. */
    void onCancel(Runnable callback);
}
