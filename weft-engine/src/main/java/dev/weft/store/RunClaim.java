package dev.weft.store;

/**
 * A run that a node now owns, under a new fencing epoch.
 *
 * @param cancelRequested whether a cancellation is pending, so the new owner should end the run cancelled
 */
public record RunClaim(String runId, String type, long epoch, boolean cancelRequested) {
}
