package dev.weft.internal;

/**
 * Unwinds a workflow thread that must stop driving its run without writing an outcome: the
 * engine lost the run to another node, or is shutting down. An {@link Error}, so that workflow
 * code catching {@code Exception} cannot swallow it.
 */
final class AbandonRun extends Error {

    AbandonRun(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
