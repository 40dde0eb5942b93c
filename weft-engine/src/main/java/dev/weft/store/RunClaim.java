package dev.weft.store;

import org.jspecify.annotations.Nullable;

/**
 * A run that a node now owns, under a new fencing epoch.
 *
 * @param cancelRequested whether a cancellation is pending, so the new owner should end the run cancelled
 * @param previousOwner the node that owned the run before this claim, {@code null} when it was unowned
 *     (parked, handed back, or never claimed) or when the claim does not say
 * @param parked whether the run was unowned waiting to be woken (it had a wake-up time or a wake-up
 *     request) rather than interrupted
 * @param wakeRequested whether a signal, cancellation or completion asked for the run to be woken
 */
public record RunClaim(String runId, String type, long epoch, boolean cancelRequested, @Nullable String previousOwner,
        boolean parked, boolean wakeRequested) {

    /** A claim that does not say how the run was left: its caller knows why it claimed it. */
    public RunClaim(String runId, String type, long epoch, boolean cancelRequested) {
        this(runId, type, epoch, cancelRequested, null, false, false);
    }
}
