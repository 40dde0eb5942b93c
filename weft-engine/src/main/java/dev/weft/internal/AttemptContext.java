package dev.weft.internal;

import dev.weft.activity.ActivityContext;
import dev.weft.activity.Cancellation;
import dev.weft.payload.PayloadSerializer;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The {@link ActivityContext} of one attempt. */
final class AttemptContext implements ActivityContext {

    private final String workflowId;
    private final long seq;
    private final String activityName;
    private final int attempt;
    private final CancellationSignal signal;
    private final Optional<Object> previousHeartbeat;
    private final HeartbeatCache heartbeats;
    private final PayloadSerializer serializer;

    AttemptContext(String workflowId, long seq, String activityName, int attempt, CancellationSignal signal,
            Optional<Object> previousHeartbeat, HeartbeatCache heartbeats, PayloadSerializer serializer) {
        this.workflowId = workflowId;
        this.seq = seq;
        this.activityName = activityName;
        this.attempt = attempt;
        this.signal = signal;
        this.previousHeartbeat = previousHeartbeat;
        this.heartbeats = heartbeats;
        this.serializer = serializer;
    }

    @Override
    public String workflowId() {
        return workflowId;
    }

    @Override
    public String activityName() {
        return activityName;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public Cancellation cancellation() {
        return signal;
    }

    @Override
    public void heartbeat(@Nullable Object details) {
        if (details != null) {
            heartbeats.record(workflowId, seq, attempt, details);
        }
    }

    @Override
    public <R> R completeAsync() {
        throw new AsyncCompletionPending();
    }

    @Override
    public <T> Optional<T> lastHeartbeatDetails(Class<T> type) {
        return previousHeartbeat.map(details -> type.isInstance(details)
                ? type.cast(details)
                // The previous attempt may have recorded a map where this one wants a record: convert through JSON.
                : serializer.deserialize(serializer.serialize(details), type));
    }
}
