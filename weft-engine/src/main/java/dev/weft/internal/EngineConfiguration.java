package dev.weft.internal;

import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineListener;
import dev.weft.payload.PayloadSerializer;
import dev.weft.retry.RetryPolicy;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.weft.queue.QueueOptions;

/**
 * Everything a {@code WeftEngineBuilder} collected, checked there: what {@link EngineCore} is built from.
 *
 * @param adoptionInterval how often lapsed runs are adopted; {@link Duration#ZERO} never (a client-only engine never adopts)
 * @param worker whether the engine drives runs, or only starts, reads and cancels them
 * @param registerNode whether a worker registers its node id in the node table, refusing an id a live node holds
 * @param queues the activity queues a worker serves, by name
 */
public record EngineConfiguration(
        WorkflowStore store,
        PayloadSerializer serializer,
        TimeSource time,
        String nodeId,
        Duration lease,
        Duration renewInterval,
        Duration adoptionInterval,
        RetryPolicy defaultRetryPolicy,
        boolean developmentMode,
        long maxPayloadBytes,
        Duration parkAfter,
        int maxChildDepth,
        boolean worker,
        boolean registerNode,
        List<EngineListener> listeners,
        List<WorkflowDefinition<?, ?>> workflows,
        List<ActivityDefinition<?, ?>> activities,
        Map<String, QueueOptions> queues) {

    public EngineConfiguration {
        queues = Map.copyOf(queues);
        listeners = List.copyOf(listeners);
        workflows = List.copyOf(workflows);
        activities = List.copyOf(activities);
    }
}
