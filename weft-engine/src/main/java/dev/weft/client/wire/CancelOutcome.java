package dev.weft.client.wire;

/** {@code POST /workflows/{id}/cancel}: whether this request asked for the cancellation. */
public record CancelOutcome(String id, boolean cancelled) {
}
