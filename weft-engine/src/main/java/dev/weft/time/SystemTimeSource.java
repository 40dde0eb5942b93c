package dev.weft.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The wall clock, with timers on one shared daemon thread. */
final class SystemTimeSource implements TimeSource {

    static final SystemTimeSource INSTANCE = new SystemTimeSource();

    private final ScheduledThreadPoolExecutor scheduler;

    private SystemTimeSource() {
        scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "weft-timer");
            thread.setDaemon(true);
            return thread;
        });
        // Cancelled timers (a workflow that was cancelled during a long sleep) must not pile up.
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public CompletableFuture<Void> timer(Instant due) {
        long delayNanos = Duration.between(Instant.now(), due).toNanos();
        if (delayNanos <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> fired = new CompletableFuture<>();
        ScheduledFuture<?> scheduled = scheduler.schedule(() -> fired.complete(null), delayNanos, TimeUnit.NANOSECONDS);
        fired.whenComplete((ignored, error) -> scheduled.cancel(false));
        return fired;
    }
}
