package dev.weft.internal;

import dev.weft.failure.WorkflowCancelledException;
import dev.weft.failure.WorkflowTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * How a run's threads wait: every wait is cut short when the run is cancelled (or times out) or
 * abandoned, and then unwinds the workflow with the matching exception.
 */
final class RunWaits {

    private final String runId;
    private final boolean readOnly;
    private final CompletableFuture<Void> cancelRequested = new CompletableFuture<>();
    private final CompletableFuture<Void> abandoned = new CompletableFuture<>();
    private volatile boolean timedOut;

    /** @param readOnly whether the run only replays to answer a query: it must not wait for anything */
    RunWaits(String runId, boolean readOnly) {
        this.runId = runId;
        this.readOnly = readOnly;
    }

    /** Makes the coming cancellation a timeout: set before it, so whoever it releases sees a timeout. */
    void markTimedOut() {
        timedOut = true;
    }

    /** Cuts every wait short: the run is cancelled (or timed out, when marked so first). */
    void requestCancel() {
        cancelRequested.complete(null);
    }

    /** Cuts every wait short: this engine stops driving the run. */
    void abandon() {
        abandoned.complete(null);
    }

    boolean isCancelRequested() {
        return cancelRequested.isDone();
    }

    boolean isTimedOut() {
        return timedOut;
    }

    boolean isAbandoned() {
        return abandoned.isDone();
    }

    void throwIfAbandoned() {
        if (abandoned.isDone()) {
            throw new AbandonRun("run " + runId + " was abandoned", new IllegalStateException("abandoned"));
        }
    }

    void throwIfCancelled() {
        throwIfAbandoned();
        if (cancelRequested.isDone()) {
            throw timedOut ? new WorkflowTimeoutException(runId) : new WorkflowCancelledException(runId);
        }
    }

    /**
     * Waits for {@code future} unless the run is cancelled or abandoned first. A failed future's
     * exception is rethrown as it is.
     */
    <T> T await(CompletableFuture<T> future) {
        if (!future.isDone() && readOnly) {
            throw new ReplayFrontier();
        }
        if (!future.isDone()) {
            CompletableFuture.anyOf(future, cancelRequested, abandoned).handle((ignored, error) -> null).join();
        }
        if (!future.isDone()) {
            throwIfCancelled();
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            throw propagate(e.getCause() != null ? e.getCause() : e);
        }
    }

    /** Waits for {@code future} unless the run is abandoned: for waits after the workflow has ended, which a cancellation does not cut short. */
    void awaitIgnoringCancellation(CompletableFuture<?> future) {
        CompletableFuture.anyOf(future, abandoned).handle((ignored, error) -> null).join();
        if (!future.isDone() && abandoned.isDone()) {
            throw new AbandonRun("run " + runId + " was abandoned", new IllegalStateException("abandoned"));
        }
    }

    /** {@code error} as an unchecked exception to throw; an {@link Error} is thrown here as it is. */
    static RuntimeException propagate(Throwable error) {
        if (error instanceof RuntimeException runtime) {
            return runtime;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        return new CompletionException(error);
    }
}
