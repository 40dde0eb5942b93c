package dev.weft.internal;

import dev.weft.payload.PayloadSerializer;
import dev.weft.retry.RetryPolicy;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import java.time.Duration;

/**
 * What every part of the kernel shares: the store, the serializer, the time source, the event
 * bus, the registry and the engine's settings.
 */
public record EngineServices(
        WorkflowStore store,
        Checkpointer checkpointer,
        PayloadSerializer serializer,
        TimeSource time,
        EventBus events,
        Registry registry,
        HeartbeatCache heartbeats,
        String nodeId,
        Duration lease,
        RetryPolicy defaultRetryPolicy,
        boolean developmentMode,
        long maxPayloadBytes,
        java.time.Duration parkAfter,
        int maxChildDepth,
        ChildLauncher children) {
}
