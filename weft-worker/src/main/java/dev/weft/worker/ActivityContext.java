package dev.weft.worker;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * What a remote activity knows of its task: which one it is, whether it was cancelled (its run was
 * cancelled or ended, or its claim was lost), and a way to say it is still alive.
 */
public final class ActivityContext {

    private final String operationId;
    private final @Nullable String workflowId;
    private final String activityName;
    private final int attempt;
    private final Runnable heartbeat;
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;
    private volatile @Nullable Thread thread;

    ActivityContext(String operationId, @Nullable String workflowId, String activityName, int attempt, Runnable heartbeat) {
        this.operationId = operationId;
        this.workflowId = workflowId;
        this.activityName = activityName;
        this.attempt = attempt;
        this.heartbeat = heartbeat;
    }

    public String operationId() {
        return operationId;
    }

    /** The id of the run whose step this is, as the server sent it ({@code weft-run-id}); {@code null} if it did not. */
    public @Nullable String workflowId() {
        return workflowId;
    }

    public String activityName() {
        return activityName;
    }

    /** The attempt this task runs, from 1. */
    public int attempt() {
        return attempt;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** @throws CancellationException once the task was cancelled */
    public void throwIfCancelled() {
        if (cancelled) {
            throw new CancellationException("task " + operationId + " was cancelled");
        }
    }

    /** Runs {@code action} when the task is cancelled (at once if it was already). */
    public void onCancel(Runnable action) {
        onCancel.add(action);
        if (cancelled && onCancel.remove(action)) {
            action.run();
        }
    }

    /**
     * Tells the server now that this worker is alive, extending its tasks' visibility, instead of
     * at the next periodic heartbeat.
     */
    public void heartbeat() {
        heartbeat.run();
    }

    void attach(@Nullable Thread running) {
        this.thread = running;
    }

    void cancel() {
        cancelled = true;
        for (Runnable action : onCancel) {
            if (onCancel.remove(action)) {
                action.run();
            }
        }
        Thread running = thread;
        if (running != null) {
            // blocking JDK calls of the activity return promptly
            running.interrupt();
        }
    }
}
