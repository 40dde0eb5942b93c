package dev.weft.spring.remote;

import dev.weft.failure.FailureInfo;
import dev.weft.queue.EagerTaker;
import dev.weft.queue.RemoteTask;
import dev.weft.queue.TaskBroker;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The engine's broker as the hub uses it, counting the tasks its claims returned (a task taken at
 * its enqueue is never among them), and running a test's step right after a slot was reserved for
 * a task being enqueued, before the task is written: where a worker may go away.
 */
final class CountingBroker implements TaskBroker {

    private final TaskBroker engine;
    private final AtomicInteger claimed = new AtomicInteger();
    private volatile Consumer<String> afterReserve = runId -> {
    };

    CountingBroker(TaskBroker engine) {
        this.engine = engine;
    }

    /** How many tasks claims returned so far. */
    int claimed() {
        return claimed.get();
    }

    /** Runs {@code step} with the run's id on the enqueuing thread once a slot was reserved for its task. */
    void afterReserve(Consumer<String> step) {
        this.afterReserve = step;
    }

    @Override
    public List<RemoteTask> claim(String queue, int max, Collection<String> activities) {
        List<RemoteTask> tasks = engine.claim(queue, max, activities);
        claimed.addAndGet(tasks.size());
        return tasks;
    }

    @Override
    public boolean complete(String operationId, @Nullable String resultJson) {
        return engine.complete(operationId, resultJson);
    }

    @Override
    public boolean fail(String operationId, FailureInfo failure) {
        return engine.fail(operationId, failure);
    }

    @Override
    public Set<String> extend(Collection<RemoteTask> tasks) {
        return engine.extend(tasks);
    }

    @Override
    public void release(Collection<String> operationIds) {
        engine.release(operationIds);
    }

    @Override
    public AutoCloseable onWork(String queue, Runnable wake) {
        return engine.onWork(queue, wake);
    }

    @Override
    public AutoCloseable takeEagerly(String queue, EagerTaker taker) {
        return engine.takeEagerly(queue, (runId, activity) -> {
            EagerTaker.Slot slot = taker.reserve(runId, activity);
            if (slot != null) {
                afterReserve.accept(runId);
            }
            return slot;
        });
    }
}
