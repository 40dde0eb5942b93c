package dev.weft.workflow;

import dev.weft.failure.DefinitionNames;
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

    /** The longest child id, in characters: the width of the run table's id column. */
    public static final int MAX_ID_LENGTH = 200;

    private static final ChildOptions DEFAULTS = new ChildOptions(null, ParentClosePolicy.REQUEST_CANCEL, null);

    /** Refuses an id the store could not hold as it is, before the parent writes anything. */
    public ChildOptions {
        if (id != null && (id.isBlank() || id.length() > MAX_ID_LENGTH || !DefinitionNames.isPlainText(id))) {
            throw new IllegalArgumentException("a child workflow id must be 1 to " + MAX_ID_LENGTH
                    + " characters of valid Unicode with no control characters");
        }
    }

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
