package dev.weft.activity;

import org.jspecify.annotations.Nullable;

/** Holds the context of the attempt running on the current thread, for {@link ActivityContext#current()}. */
public final class CurrentActivity {

    private static final ThreadLocal<ActivityContext> CURRENT = new ThreadLocal<>();

    private CurrentActivity() {
    }

    static @Nullable ActivityContext get() {
        return CURRENT.get();
    }

    /** Binds {@code context} to this thread until the returned scope is closed. Engine use. */
    public static Scope bind(ActivityContext context) {
        ActivityContext previous = CURRENT.get();
        CURRENT.set(context);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Restores the previous binding when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
