package dev.weft.client;

import dev.weft.SignalWithStartResult;
import dev.weft.failure.WorkflowNotTerminalException;
import dev.weft.failure.ResultTimeoutException;
import dev.weft.StartOptions;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.failure.WorkflowCancelledException;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotRegisteredException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a caller outside a workflow does with runs, whether it shares the engine's process
 * ({@link EngineWorkflowClient}) or talks to it over HTTP ({@link HttpWorkflowClient}). Both
 * implementations throw the same engine exceptions for the same situations, so code written
 * against this interface does not change when the engine moves to another service.
 */
public interface WorkflowClient {

    /**
     * Starts a run of a workflow type; the run is durable when this returns.
     *
     * @throws WorkflowNotRegisteredException when the workflow type is unknown
     * @throws WorkflowAlreadyExistsException when a run with the requested id exists
     */
    WorkflowSummary start(String type, @Nullable Object input, StartOptions options);

    /** Starts a run with a generated id. */
    default WorkflowSummary start(String type, @Nullable Object input) {
        return start(type, input, StartOptions.defaults());
    }

    /**
     * The run's status and summary now.
     *
     * @throws WorkflowNotFoundException when no run has that id
     */
    WorkflowSummary get(String id);

    /**
     * Waits up to {@code timeout} for the run to end and returns its result read as {@code resultType}.
     *
     * @throws ResultTimeoutException when the run has not ended in time (it goes on)
     * @throws WorkflowFailedException when it failed
     * @throws WorkflowCancelledException when it was cancelled
     * @throws WorkflowNotFoundException when no run has that id
     */
    <R> @Nullable R result(String id, Class<R> resultType, Duration timeout);

    /**
     * Asks for the run to be cancelled.
     *
     * @return {@code false} when the run had already ended (nothing changes)
     * @throws WorkflowNotFoundException when no run has that id
     */
    boolean cancel(String id);

    /**
     * Sends a signal to a run; it is durable when this returns.
     *
     * @param signalId an optional key of at most 128 UTF-8 bytes that makes the delivery idempotent
     * @return {@code true} if the signal was stored, {@code false} if its signal id was a duplicate
     * @throws WorkflowNotFoundException when no run has that id
     * @throws WorkflowFinishedException when the run has ended
     * @throws IllegalArgumentException when the name is blank or the signal id is blank or too long
     */
    boolean signal(String id, String name, @Nullable Object payload, @Nullable String signalId);

    /**
     * Asks a run's query handler; see {@link dev.weft.WeftEngine#query}.
     *
     * @throws dev.weft.failure.QueryNotFoundException when the run registered no such query
     * @throws dev.weft.failure.WorkflowFinishedException when the run has ended
     */
    <R> @Nullable R query(String id, String name, @Nullable Object argument, Class<R> resultType);

    /** {@link #signal(String, String, Object, String)} without a signal id: every call delivers a signal. */
    default boolean signal(String id, String name, @Nullable Object payload) {
        return signal(id, name, payload, null);
    }

    /**
     * Starts the run named by {@code options} and signals it, or, when it exists and has not ended,
     * signals it; atomically.
     *
     * @throws WorkflowNotRegisteredException when the workflow type is unknown
     * @throws WorkflowFinishedException when a run with that id has ended
     * @throws IllegalArgumentException when the options name no id, or the signal is malformed
     */
    SignalWithStartResult signalWithStart(String type, @Nullable Object input, StartOptions options, String signalName,
            @Nullable Object payload, @Nullable String signalId);

    /**
     * Suspends a run: it keeps its journal and is driven by no engine until {@link #resume(String)}.
     *
     * @return {@code true} if suspended now, {@code false} if it already was
     * @throws WorkflowNotFoundException when no run has that id
     * @throws WorkflowFinishedException when the run has ended
     */
    boolean suspend(String id);

    /**
     * Takes a suspended run (or one nobody drives) up again and returns its summary.
     *
     * @throws WorkflowNotFoundException when no run has that id
     * @throws WorkflowFinishedException when the run has ended
     */
    WorkflowSummary resume(String id);

    /** Runs matching the filter, newest first, one page of them. */
    WorkflowPage list(WorkflowFilter filter, PageRequest page);

    /**
     * Deletes a finished run and its journal.
     *
     * @throws WorkflowNotTerminalException when the run is still running (nothing is deleted)
     * @throws WorkflowNotFoundException when no run has that id
     */
    void delete(String id);

    /** Completes and fails activities that called {@code completeAsync()}. */
    ActivityCompletions activity();
}
