package dev.weft.spring.remote;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Writes workers' results to the database off the sockets' reader threads, at most {@code limit} at
 * once across the node. A socket's frames are read one after another: written on the reader, each
 * result would wait for the commit of the one before, and one worker of many slots would be held to
 * one commit at a time. A reader that finds every permit taken waits for one, so a worker that
 * floods results slows its own socket, as before, and never starts unbounded threads.
 */
final class ResultWrites {

    private final int limit;
    private final Semaphore permits;

    ResultWrites(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit of concurrent result writes must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    /** Runs {@code write} on a virtual thread once a permit is free; waits for one on the caller's thread. */
    void submit(Runnable write) {
        permits.acquireUninterruptibly();
        try {
            Thread.ofVirtual().name("weft-remote-result").start(() -> {
                try {
                    write.run();
                } finally {
                    permits.release();
                }
            });
        } catch (RuntimeException | Error e) {
            permits.release();
            throw e;
        }
    }

    /** Waits up to {@code timeout} for the writes in flight to end; returns whether they all did. */
    boolean awaitIdle(Duration timeout) {
        try {
            if (permits.tryAcquire(limit, Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                permits.release(limit);
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
