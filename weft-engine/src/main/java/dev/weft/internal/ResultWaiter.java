package dev.weft.internal;

import dev.weft.failure.ResultTimeoutException;
import dev.weft.failure.WorkflowCancelledException;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.failure.WorkflowTimeoutException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.store.RunRecord;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Waits for a run to end and reads its result. A run this engine drives is waited for on its
 * execution's end; any other run (driven elsewhere, or parked meanwhile) is read from the store
 * again and again, each read later than the last.
 *
 * <p>The caller's timeout is its own patience in real time, not the engine's {@code TimeSource}:
 * a test clock that only moves when told to must not keep a caller waiting forever, nor see the
 * caller's timers among the workflows' timers. No thread sleeps: the reads are scheduled, and the
 * caller blocks once, on a future, for at most its timeout.
 */
final class ResultWaiter {

    private static final Duration FIRST_POLL = Duration.ofMillis(10);
    private static final Duration LONGEST_POLL = Duration.ofMillis(500);
    /** Store reads block on the database, so each runs on a virtual thread of its own. */
    private static final Executor READER = runnable -> Thread.ofVirtual().name("weft-result-poll").start(runnable);

    private final WorkflowStore store;
    private final PayloadSerializer serializer;

    ResultWaiter(WorkflowStore store, PayloadSerializer serializer) {
        this.store = store;
        this.serializer = serializer;
    }

    /**
     * @param localEnd completes when this engine's execution of the run ends (see {@link RunDriver#localEnd}), or {@code null}
     * @param timeout how long to wait at most; {@code null} waits as long as it takes
     */
    <R> @Nullable R await(String id, Class<R> resultType, @Nullable CompletableFuture<?> localEnd, @Nullable Duration timeout) {
        StorePoll poll = new StorePoll(id);
        CompletableFuture<RunEnd.Finished> ended = localEnd == null ? poll.start()
                : localEnd.handle((end, error) -> end instanceof RunEnd.Finished finished ? finished : null)
                        // parked or abandoned here: the run ends wherever it is taken up, so the store tells
                        .thenCompose(finished -> finished != null ? CompletableFuture.completedFuture(finished) : poll.startLater());
        try {
            RunEnd.Finished end = timeout == null ? ended.get() : ended.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return resultOf(id, end, resultType);
        } catch (TimeoutException e) {
            poll.stop();
            // The outcome is durable a moment before the execution's own future completes: read the
            // store once rather than report a finished run as still going.
            RunRecord run = find(id);
            if (run.status().isTerminal()) {
                return resultOf(id, new RunEnd.Finished(run.status(), run.result(), run.failure()), resultType);
            }
            throw new ResultTimeoutException("Workflow '" + id + "' did not finish within " + timeout);
        } catch (InterruptedException e) {
            poll.stop();
            Thread.currentThread().interrupt();
            throw new ResultTimeoutException("Interrupted while waiting for workflow '" + id + "'", e);
        } catch (ExecutionException e) {
            // Only a store read fails the future (a local execution's failure falls back to the store).
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        }
    }

    private RunRecord find(String id) {
        return store.findRun(id).orElseThrow(() -> MissingRun.error(id));
    }

    private <R> @Nullable R resultOf(String id, RunEnd.Finished end, Class<R> resultType) {
        return switch (end.status()) {
            case COMPLETED -> serializer.deserialize(end.result(), resultType);
            case FAILED -> throw new WorkflowFailedException(id, Objects.requireNonNull(end.failure()));
            case CANCELLED -> throw new WorkflowCancelledException(id);
            case TIMED_OUT -> throw new WorkflowTimeoutException(id);
            case RUNNING, QUEUED, SUSPENDED -> throw new IllegalStateException("run " + id + " has not ended");
        };
    }

    /** Reads one run until it has ended: at once, then after 10 ms, doubling up to 500 ms between reads. */
    private final class StorePoll {

        private final String id;
        private final CompletableFuture<RunEnd.Finished> ended = new CompletableFuture<>();
        private volatile boolean stopped;

        StorePoll(String id) {
            this.id = id;
        }

        /** Reads the run on the caller's thread first: a run that has ended needs no other thread. */
        CompletableFuture<RunEnd.Finished> start() {
            read(FIRST_POLL);
            return ended;
        }

        /** Reads the run on a reader thread: the caller is a run's own thread, which must not wait for the store. */
        CompletableFuture<RunEnd.Finished> startLater() {
            READER.execute(() -> read(FIRST_POLL));
            return ended;
        }

        /** The waiter gave up: no more reads. */
        void stop() {
            stopped = true;
        }

        private void read(Duration nextWait) {
            if (stopped) {
                return;
            }
            try {
                RunRecord run = find(id);
                if (run.status().isTerminal()) {
                    ended.complete(new RunEnd.Finished(run.status(), run.result(), run.failure()));
                    return;
                }
            } catch (RuntimeException e) {
                ended.completeExceptionally(e);
                return;
            }
            Duration after = nextWait.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : nextWait.multipliedBy(2);
            CompletableFuture.delayedExecutor(nextWait.toNanos(), TimeUnit.NANOSECONDS, READER).execute(() -> read(after));
        }
    }
}
