package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.activity.Cancellation;
import dev.weft.failure.ActivityCancelledException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cancellation signal of one attempt; firing it runs the callbacks and interrupts the attempt's thread. */
final class CancellationSignal implements Cancellation {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ACTIVITIES);

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> callbacks = new ArrayList<>();
    private @Nullable Thread thread;
    private @Nullable String reason;

    /** Sets the thread the signal interrupts when it fires; {@code null} for none (the attempt is over). */
    void attach(@Nullable Thread attemptThread) {
        lock.lock();
        try {
            this.thread = attemptThread;
        } finally {
            lock.unlock();
        }
    }

    /** Fires the signal once; later calls do nothing. */
    void fire(String why) {
        List<Runnable> toRun;
        Thread toInterrupt;
        lock.lock();
        try {
            if (reason != null) {
                return;
            }
            reason = why;
            toRun = List.copyOf(callbacks);
            callbacks.clear();
            toInterrupt = thread;
        } finally {
            lock.unlock();
        }
        toRun.forEach(CancellationSignal::runQuietly);
        if (toInterrupt != null) {
            toInterrupt.interrupt();
        }
    }

    @Override
    public boolean isCancelled() {
        lock.lock();
        try {
            return reason != null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void throwIfCancelled() {
        String why;
        lock.lock();
        try {
            why = reason;
        } finally {
            lock.unlock();
        }
        if (why != null) {
            throw new ActivityCancelledException("Activity cancelled: " + why);
        }
    }

    @Override
    public void onCancel(Runnable callback) {
        lock.lock();
        try {
            if (reason == null) {
                callbacks.add(callback);
                return;
            }
        } finally {
            lock.unlock();
        }
        runQuietly(callback);
    }

    private static void runQuietly(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warn("An onCancel callback of an activity failed", e);
        }
    }
}
