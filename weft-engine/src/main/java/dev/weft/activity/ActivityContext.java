package dev.weft.activity;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an activity attempt knows of itself and can tell the engine. Passed to every
 * {@link ActivityFunction}, and reachable from the attempt's thread through {@link #current()}.
 */
public interface ActivityContext {

    String workflowId();

    String activityName();

    /** The attempt number, from 1. */
    int attempt();

    Cancellation cancellation();

    /** Tells the engine the attempt is alive, with optional progress a retry can resume from. */
    void heartbeat(@Nullable Object details);

    /**
     * The details of the last heartbeat of the previous attempt, if that attempt ran in this
     * process and recorded any. Empty on a first attempt, after a restart, and for attempts run by
     * workers: a resume hint, not durable state.
     */
    <T> Optional<T> lastHeartbeatDetails(Class<T> type);

    /**
     * Parks the workflow at this step: the attempt ends without a result, and the step is later
     * completed or failed, from anywhere, with the token announced by an
     * {@code ActivityAsyncPending} event ({@code engine.completeAsyncActivity(token, result)} or
     * {@code failAsyncActivity}). Use it as {@code return context.completeAsync();} once the work
     * has been handed to the other system. Never returns normally.
     */
    <R> R completeAsync();

    /** The context of the activity attempt running on this thread. */
    static ActivityContext current() {
        ActivityContext context = CurrentActivity.get();
        if (context == null) {
            throw new IllegalStateException("ActivityContext.current() called outside an activity");
        }
        return context;
    }
}
