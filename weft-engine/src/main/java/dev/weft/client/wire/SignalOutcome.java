package dev.weft.client.wire;

/**
 * {@code POST /workflows/{id}/signal/{name}}: the signal was accepted.
 *
 * @param delivered {@code false} when a signal with the same signal id came before
 */
public record SignalOutcome(boolean ok, boolean delivered) {

    public static SignalOutcome of(boolean delivered) {
        return new SignalOutcome(true, delivered);
    }
}
