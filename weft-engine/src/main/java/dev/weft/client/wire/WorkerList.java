package dev.weft.client.wire;

import java.util.List;

/** {@code GET /workers}: the remote workers connected to the answering node, by id. */
public record WorkerList(List<WorkerView> items, String routingPolicy) {

    public WorkerList {
        items = List.copyOf(items);
    }
}
