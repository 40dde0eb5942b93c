package dev.weft.client.wire;

import dev.weft.SignalWithStartResult;

/**
 * {@code POST /workflows/start-or-signal}: what happened.
 *
 * @param outcome {@code started} or {@code signalled}, as upstream Weft reports it
 */
public record StartOrSignalOutcome(String id, boolean started, boolean signalStored, String outcome) {

    public static StartOrSignalOutcome of(SignalWithStartResult result) {
        String outcome = result.started() ? "started" : "signalled";
        return new StartOrSignalOutcome(result.id(), result.started(), result.signalStored(), outcome);
    }

    public SignalWithStartResult toResult() {
        return new SignalWithStartResult(id, started, signalStored);
    }
}
