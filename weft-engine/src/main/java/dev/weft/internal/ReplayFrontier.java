package dev.weft.internal;

/**
 * Stops a read-only replay (one that answers a query) where the journal ends: the replay would
 * otherwise have to perform or wait for something, which a query must not do.
 */
final class ReplayFrontier extends Error {

    ReplayFrontier() {
        super("the replay reached the end of the journal", null, false, false);
    }
}
