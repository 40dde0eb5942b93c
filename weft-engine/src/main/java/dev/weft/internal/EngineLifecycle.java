package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.failure.StoreException;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stopping and restarting work: a pause or a close hands every run back (after an optional grace
 * period for the attempts in flight) so that another engine can adopt it at once.
 */
final class EngineLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ENGINE);

    private final EngineState state;
    private final WorkflowStore store;
    private final Checkpointer checkpointer;
    private final RunDriver driver;
    private final LeaseKeeper leaseKeeper;
    private final NodeRegistration node;

    EngineLifecycle(EngineState state, WorkflowStore store, Checkpointer checkpointer, RunDriver driver, LeaseKeeper leaseKeeper,
            NodeRegistration node) {
        this.state = state;
        this.store = store;
        this.checkpointer = checkpointer;
        this.driver = driver;
        this.leaseKeeper = leaseKeeper;
        this.node = node;
    }

    void close(Duration gracePeriod) {
        requireGracePeriod(gracePeriod);
        if (state.isClosed()) {
            return;
        }
        if (!state.isPaused()) {
            state.pause();
            handOffRuns(gracePeriod);
        }
        state.close();
        leaseKeeper.close();
        // after the last heartbeat: the id is free at once for a successor
        node.remove();
    }

    void pause(Duration gracePeriod) {
        requireGracePeriod(gracePeriod);
        if (state.isClosed() || state.isPaused()) {
            return;
        }
        state.pause();
        handOffRuns(gracePeriod);
    }

    void unpause() {
        if (state.isClosed()) {
            throw new IllegalStateException("this WeftEngine is closed and cannot take work again");
        }
        checkpointer.reopen();
        state.unpause();
    }

    boolean isPaused() {
        return state.isPaused() && !state.isClosed();
    }

    private static void requireGracePeriod(Duration gracePeriod) {
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("gracePeriod must not be negative, was " + gracePeriod);
        }
    }

    /**
     * Lets in-flight attempts finish for up to {@code gracePeriod}, then stops driving every run
     * and releases it so another engine can adopt it at once.
     */
    private void handOffRuns(Duration gracePeriod) {
        List<RunExecution> driven = driver.drivenRuns();
        if (!gracePeriod.isZero()) {
            driven.forEach(RunExecution::drain);
            awaitEnds(driven, gracePeriod);
        }
        checkpointer.close();
        driver.forgetAllParked();
        // Runs that began during the grace period (children, parked runs taken up) are handed back too.
        driver.drivenRuns().stream().filter(execution -> !driven.contains(execution)).forEach(driven::add);
        for (RunExecution execution : driven) {
            execution.abandon();
            try {
                store.release(execution.runId(), execution.epoch());
            } catch (StoreException e) {
                LOG.warn("Could not release run {}; its lease will lapse", execution.runId(), e);
            }
        }
    }

    /** Waits for the executions to end, all within one grace period: the caller's real patience, not the engine's time source. */
    private static void awaitEnds(List<RunExecution> executions, Duration gracePeriod) {
        CompletableFuture<?>[] ends = executions.stream().map(RunExecution::end).toArray(CompletableFuture<?>[]::new);
        try {
            CompletableFuture.allOf(ends).get(gracePeriod.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the runs still busy are abandoned by the caller
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
