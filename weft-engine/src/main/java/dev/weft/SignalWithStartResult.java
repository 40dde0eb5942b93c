package dev.weft;

/**
 * What a signal-with-start did, whether asked of the engine or of a {@link dev.weft.client.WorkflowClient}.
 *
 * @param id the run's id
 * @param started whether the call created the run (else the run existed and was signalled)
 * @param signalStored whether the signal was stored ({@code false}: its signal id was a duplicate, ignored)
 */
public record SignalWithStartResult(String id, boolean started, boolean signalStored) {
}
