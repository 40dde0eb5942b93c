package dev.weft.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /workflows/{id}/pending-async-activities}: one page, oldest step first.
 *
 * @param nextCursor where the next page starts; absent on the last page
 */
public record PendingActivityPage(List<PendingActivityView> items,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String nextCursor) {

    public PendingActivityPage {
        items = List.copyOf(items);
    }
}
