package dev.weft;

/**
 * What {@link WeftEngine#signalWithStart} did.
 *
 * @param started whether the run was created by this call (else it existed and was signalled)
 * @param signalStored whether the signal was stored ({@code false}: a duplicate signal id, ignored)
 */
public record SignalWithStartResult(WorkflowHandle<Object> handle, boolean started, boolean signalStored) {
}
