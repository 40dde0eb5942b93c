package dev.weft.store;

/**
 * What {@link WorkflowStore#signalWithStart} did.
 *
 * @param started whether the run was created by this call
 * @param delivery what became of the signal
 */
public record SignalWithStart(boolean started, SignalDelivery delivery) {
}
