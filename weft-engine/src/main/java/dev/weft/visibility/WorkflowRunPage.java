package dev.weft.visibility;

import dev.weft.client.WorkflowPage;
import java.util.List;

/**
 * One page of a listing of runs, with everything readers may see of each.
 *
 * @param total how many runs match the filter in all
 */
public record WorkflowRunPage(List<WorkflowRun> items, long total, int offset, int limit) {

    public WorkflowRunPage {
        items = List.copyOf(items);
    }

    /** This page as a client sees it: summaries without payloads. */
    public WorkflowPage summaries() {
        return new WorkflowPage(items.stream().map(WorkflowRun::summary).toList(), total, offset, limit);
    }
}
