package dev.weft.client;

import dev.weft.failure.AsyncActivityTokenNotFoundException;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.PayloadSizeExceededException;
import dev.weft.PendingAsyncActivity;
import dev.weft.failure.WorkflowNotFoundException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Out-of-band completion of activity attempts parked by {@code completeAsync()}, by their token.
 * Each token is spent by exactly one successful call.
 */
public interface ActivityCompletions {

    /**
     * Completes the attempt as if the activity had returned {@code result}. Returns once the result
     * is durable.
     *
     * @throws AsyncActivityTokenNotFoundException when no attempt waits for this token (unknown or spent)
     * @throws PayloadSizeExceededException when the result is too large; the token stays usable
     */
    void complete(String token, @Nullable Object result);

    /**
     * Fails the attempt as if the activity had thrown: its retry policy and the workflow's error
     * handling apply.
     *
     * @throws AsyncActivityTokenNotFoundException when no attempt waits for this token (unknown or spent)
     */
    void completeExceptionally(String token, FailureInfo error);

    /** {@link #completeExceptionally(String, FailureInfo)} with the failure read from an exception. */
    default void completeExceptionally(String token, Throwable error) {
        completeExceptionally(token, FailureInfo.of(error));
    }

    /**
     * The attempts of a run waiting for their completion, with their tokens.
     *
     * @throws WorkflowNotFoundException when no run has that id
     */
    List<PendingAsyncActivity> pending(String workflowId);
}
