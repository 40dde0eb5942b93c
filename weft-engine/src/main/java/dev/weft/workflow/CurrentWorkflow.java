package dev.weft.workflow;

import org.jspecify.annotations.Nullable;

/** Holds the context of the workflow running on the current thread, for {@link WorkflowContext#current()}. */
public final class CurrentWorkflow {

    private static final ThreadLocal<WorkflowContext> CURRENT = new ThreadLocal<>();

    private CurrentWorkflow() {
    }

    /** The workflow running on this thread, or {@code null}: the Spring layer asks this to route calls. */
    public static @Nullable WorkflowContext get() {
        return CURRENT.get();
    }

    /** Binds {@code context} to this thread for the life of the workflow thread. Engine use. */
    public static void bind(WorkflowContext context) {
        CURRENT.set(context);
    }

    public static void clear() {
        CURRENT.remove();
    }
}
