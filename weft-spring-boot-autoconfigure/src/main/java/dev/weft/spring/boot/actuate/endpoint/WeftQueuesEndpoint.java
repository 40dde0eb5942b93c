package dev.weft.spring.boot.actuate.endpoint;

import dev.weft.WeftEngine;
import dev.weft.activity.QueueName;
import dev.weft.client.wire.TaskQueueList;
import dev.weft.client.wire.TaskQueueView;
import dev.weft.queue.TaskQueues;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code weftqueues} actuator endpoint: every activity queue, with what it holds (depth, in
 * flight, the age of its oldest waiting task, expired claims), its settings, and how this node
 * serves it (tasks running here, claims made here since the start, from which a scraper derives the
 * claim rate); and one queue by name. The same data, in the same shape, as the REST API's
 * {@code GET /task-queues}.
 *
 * <p>An endpoint of its own rather than a path under {@code weft}: {@code /actuator/weft/{id}}
 * already reads a run, and a run may well be called {@code queues}. The shape is Spring Boot's own
 * {@code caches} endpoint's: the list at the root, one entry by name below it. Queues hold no
 * payloads, so nothing is masked and no web extension is needed. Read-only: pausing, resuming and
 * limiting a queue stay with the API and {@code engine.queues()}.
 */
@Endpoint(id = "weftqueues", defaultAccess = Access.READ_ONLY)
public class WeftQueuesEndpoint {

    private final TaskQueues queues;

    public WeftQueuesEndpoint(WeftEngine engine) {
        this.queues = Objects.requireNonNull(engine, "engine").queues();
    }

    /** Every queue that holds tasks, has settings, or is served by this node, by name. */
    @ReadOperation
    public TaskQueueList queues() {
        return new TaskQueueList(queues.list().stream().map(TaskQueueView::of).toList());
    }

    /**
     * One queue, or {@code null} (HTTP 404) when no queue of that name holds tasks, has settings or
     * is served by this node; a name that cannot be a queue's is refused (HTTP 400).
     */
    @ReadOperation
    public @Nullable TaskQueueView queue(@Selector String name) {
        if (!QueueName.isValid(name)) {
            String message = "'" + name + "' is not a queue name: a queue name is 1 to 100 letters, digits, '_' or '-'";
            throw new InvalidEndpointRequestException(message, message);
        }
        return queues.list().stream().filter(queue -> queue.name().equals(name)).findFirst().map(TaskQueueView::of).orElse(null);
    }
}
