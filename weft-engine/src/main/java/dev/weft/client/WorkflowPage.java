package dev.weft.client;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param total how many runs match the filter in all
 */
public record WorkflowPage(List<WorkflowSummary> items, long total, int offset, int limit) {

    public WorkflowPage {
        items = List.copyOf(items);
    }
}
