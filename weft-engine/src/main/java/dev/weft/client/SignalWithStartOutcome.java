package dev.weft.client;

/**
 * What a signal-with-start did, as a client sees it.
 *
 * @param id the run's id
 * @param started whether the call created the run (else the run existed and was signalled)
 * @param signalStored whether the signal was stored ({@code false}: its signal id was a duplicate, ignored)
 */
public record SignalWithStartOutcome(String id, boolean started, boolean signalStored) {
}
