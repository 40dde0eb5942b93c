package dev.weft.client.wire;

/** {@code POST /workflows/{id}/suspend}: whether this request suspended the run. */
public record SuspendOutcome(String id, boolean suspended) {
}
