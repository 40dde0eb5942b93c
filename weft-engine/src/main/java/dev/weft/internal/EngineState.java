package dev.weft.internal;

/**
 * Whether the engine takes work. Paused means it handed its runs back and takes no more until it
 * is unpaused; closing pauses it for good. Read by every part that would start driving a run.
 */
final class EngineState {

    private volatile boolean closed;
    /** Set while the engine hands its runs back and until it takes work again; closing implies it. */
    private volatile boolean paused;

    boolean isPaused() {
        return paused;
    }

    boolean isClosed() {
        return closed;
    }

    void pause() {
        paused = true;
    }

    void unpause() {
        paused = false;
    }

    void close() {
        closed = true;
    }

    /** Refuses new work from callers of a closed or paused engine. */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this WeftEngine is closed");
        }
        if (paused) {
            throw new IllegalStateException("this WeftEngine is paused");
        }
    }
}
