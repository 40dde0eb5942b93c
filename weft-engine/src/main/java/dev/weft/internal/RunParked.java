package dev.weft.internal;

import java.time.Instant;

/**
 * Unwinds a workflow thread whose run was parked: its wait was recorded and its ownership given
 * up, so nothing but the journal is left of it. An {@link Error}, so that workflow code catching
 * {@code Exception} does not swallow it.
 */
final class RunParked extends Error {

    private final Instant wakeAt;

    RunParked(Instant wakeAt) {
        super("parked until " + wakeAt, null, false, false);
        this.wakeAt = wakeAt;
    }

    Instant wakeAt() {
        return wakeAt;
    }
}
