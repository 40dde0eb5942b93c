package dev.weft.internal;

/**
 * Thrown by {@code ActivityContext.completeAsync()} to end an attempt without a result. An
 * {@link Error}, so that activity code catching {@code Exception} does not swallow it.
 */
final class AsyncCompletionPending extends Error {

    AsyncCompletionPending() {
        super("completeAsync() ends the attempt; its outcome arrives with the completion token", null, false, false);
    }
}
