package dev.weft.internal;

import dev.weft.failure.WorkflowNotFoundException;

/** The one wording of "no such run", shared by every lookup by id. */
final class MissingRun {

    private MissingRun() {
    }

    static WorkflowNotFoundException error(String id) {
        return new WorkflowNotFoundException("No workflow run has the id '" + id + "'");
    }
}
