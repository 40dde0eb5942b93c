package dev.weft.client.wire;

import dev.weft.client.WorkflowPage;
import java.util.List;

/** {@code GET /workflows}: one page of a listing. */
public record RunPage(List<RunView> items, long total, int offset, int limit) {

    public RunPage {
        items = List.copyOf(items);
    }

    public static RunPage of(WorkflowPage page) {
        return new RunPage(page.items().stream().map(RunView::of).toList(), page.total(), page.offset(), page.limit());
    }

    public WorkflowPage toPage() {
        return new WorkflowPage(items.stream().map(RunView::toSummary).toList(), total, offset, limit);
    }
}
