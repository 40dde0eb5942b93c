package dev.weft.workflow;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options of a child workflow.
 *
 * @param id the child's run id; when {@code null}, {@code <parentId>/<position>}, the same on every replay
 * @param parentClosePolicy what the parent's end does to the child
 * @param executionTimeout the child's own execution timeout, or {@code null}
 */
public record ChildOptions(@Nullable String id, ParentClosePolicy parentClosePolicy, @Nullable Duration executionTimeout) {

    private static final ChildOptions DEFAULTS = new ChildOptions(null, ParentClosePolicy.REQUEST_CANCEL, null);

    /** A derived id, {@link ParentClosePolicy#REQUEST_CANCEL}, no timeout. */
    public static ChildOptions defaults() {
        return DEFAULTS;
    }

    public ChildOptions withId(String id) {
        return new ChildOptions(id, parentClosePolicy, executionTimeout);
    }

    public ChildOptions withParentClosePolicy(ParentClosePolicy policy) {
        return new ChildOptions(id, policy, executionTimeout);
    }

    public ChildOptions withExecutionTimeout(Duration timeout) {
        return new ChildOptions(id, parentClosePolicy, timeout);
    }

    public Optional<String> explicitId() {
        return Optional.ofNullable(id);
    }
}
