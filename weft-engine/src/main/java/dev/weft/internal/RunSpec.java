package dev.weft.internal;

import dev.weft.store.JournalEntry;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an execution needs to know of its run.
 *
 * @param epoch the fencing epoch under which this engine owns the run
 * @param journal the recorded operations, empty for a new run
 * @param deadline when the run times out, or {@code null}
 * @param parentId the parent run of a child, or {@code null}
 * @param depth how many parents the run has
 */
record RunSpec(String runId, WorkflowDefinition<?, ?> definition, String inputJson, long epoch, List<JournalEntry> journal,
        @Nullable Instant deadline, @Nullable String parentId, int depth) {

    public RunSpec {
        journal = List.copyOf(journal);
    }
}
