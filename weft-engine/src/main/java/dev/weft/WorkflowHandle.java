package dev.weft;

import dev.weft.failure.ResultTimeoutException;
import dev.weft.failure.WorkflowCancelledException;
import dev.weft.failure.WorkflowFailedException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A reference to one run, by id: to read its status, wait for its result, or cancel it. Cheap
 * to create; it holds no lock and works for runs driven by any engine on the same database.
 *
 * @param <R> the type its result is read as
 */
public final class WorkflowHandle<R> {

    private final WeftEngine engine;
    private final String id;
    private final Class<R> resultType;
    /**
     * Completes when the execution of the run in this handle's engine ends ({@code null} when that
     * engine did not drive it as the handle was made): the engine waits on it rather than reading
     * the store. Its value means something only to the engine.
     */
    private final @Nullable CompletableFuture<?> localEnd;

    WorkflowHandle(WeftEngine engine, String id, Class<R> resultType, @Nullable CompletableFuture<?> localEnd) {
        this.engine = engine;
        this.id = id;
        this.resultType = resultType;
        this.localEnd = localEnd;
    }

    public String id() {
        return id;
    }

    /** The run's status now, as stored. */
    public WorkflowStatus status() {
        return engine.statusOf(id);
    }

    /**
     * Where the run stands in the queue of its concurrency key while it is
     * {@link WorkflowStatus#QUEUED}: its position (1 starts next), the key's limit and when it was
     * accepted; empty once it runs (or if it never queued).
     */
    public Optional<QueuePosition> queuePosition() {
        return engine.runs().queuePosition(id);
    }

    /**
     * Waits as long as it takes for the run to end and returns its result.
     *
     * @throws WorkflowFailedException when the run failed
     * @throws WorkflowCancelledException when it was cancelled
     */
    public @Nullable R result() {
        return engine.awaitResult(id, resultType, localEnd, null);
    }

    /**
     * Waits up to {@code timeout} for the run to end and returns its result.
     *
     * @throws ResultTimeoutException when the run has not ended in time (it goes on)
     * @throws WorkflowFailedException when the run failed
     * @throws WorkflowCancelledException when it was cancelled
     */
    public @Nullable R result(Duration timeout) {
        return engine.awaitResult(id, resultType, localEnd, timeout);
    }

    /**
     * Cancels the run: its in-flight activities see their cancellation signal and it ends
     * cancelled.
     *
     * @return {@code true} if this call asked for the cancellation, {@code false} if the run had
     *     already ended (nothing changes)
     */
    public boolean cancel() {
        return engine.cancel(id);
    }

    /** Sends a signal to the run; see {@link WeftEngine#signal(String, String, Object, String)}. */
    public boolean signal(String name, @Nullable Object payload) {
        return engine.signal(id, name, payload, null);
    }

    /** Sends a signal with an idempotency key; see {@link WeftEngine#signal(String, String, Object, String)}. */
    public boolean signal(String name, @Nullable Object payload, String signalId) {
        return engine.signal(id, name, payload, signalId);
    }

    @Override
    public String toString() {
        return "WorkflowHandle[" + id + "]";
    }
}
