package dev.weft.internal;

import dev.weft.payload.PayloadSerializer;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;

/**
 * What an engine lends the executions of its runs, built once per engine. Only the two roots of
 * an execution take it whole, {@link RunExecution} and its {@link ReplayContext}: they hand each
 * collaborator just the services that collaborator uses.
 */
record RunEnvironment(
        WorkflowStore store,
        Checkpointer checkpointer,
        PayloadSerializer serializer,
        TimeSource time,
        EventBus events,
        Registry registry,
        HeartbeatCache heartbeats,
        ChildLauncher children,
        TaskAnnouncer tasks,
        EngineSettings settings) {
}
