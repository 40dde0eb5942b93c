package dev.weft.spring;

import dev.weft.activity.ActivityContext;
import dev.weft.activity.Cancellation;
import dev.weft.failure.ActivityCancelledException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The engine's {@link ActivityContext} for an {@code @Activity} method run by a remote worker: the
 * worker's cancellation signal and heartbeat behind the same interface as in an engine's process.
 */
final class RemoteActivityContext implements ActivityContext {

    private final dev.weft.worker.ActivityContext task;

    RemoteActivityContext(dev.weft.worker.ActivityContext task) {
        this.task = task;
    }

    @Override
    public String workflowId() {
        String runId = task.workflowId();
        return runId == null ? "" : runId;
    }

    @Override
    public String activityName() {
        return task.activityName();
    }

    @Override
    public int attempt() {
        return task.attempt();
    }

    @Override
    public Cancellation cancellation() {
        return new Cancellation() {
            @Override
            public boolean isCancelled() {
                return task.isCancelled();
            }

            @Override
            public void throwIfCancelled() {
                if (task.isCancelled()) {
                    throw new ActivityCancelledException("The task was cancelled: its workflow was cancelled or "
                            + "ended, or its claim was lost");
                }
            }

            @Override
            public void onCancel(Runnable callback) {
                task.onCancel(callback);
            }
        };
    }

    /** Extends the task's claim now; the details stay in this process (a remote attempt's are not kept). */
    @Override
    public void heartbeat(@Nullable Object details) {
        task.heartbeat();
    }

    @Override
    public <T> Optional<T> lastHeartbeatDetails(Class<T> type) {
        return Optional.empty();
    }

    @Override
    public <R> R completeAsync() {
        throw new UnsupportedOperationException("completeAsync() is not available to remote workers in protocol v1");
    }
}
