package dev.weft.client.wire;

import java.util.List;

/** {@code GET /task-queues}: every queue with tasks, settings or a pool on the answering node, by name. */
public record TaskQueueList(List<TaskQueueView> items) {

    public TaskQueueList {
        items = List.copyOf(items);
    }
}
