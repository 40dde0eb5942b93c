package dev.weft.spring.remote;

import dev.weft.failure.FailureInfo;
import dev.weft.queue.EagerTaker;
import dev.weft.queue.RemoteTask;
import dev.weft.queue.TaskBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A task broker without a database, for what the hub and its dispatchers do between frames and
 * claims: it hands out the tasks it was given, counts its claims, and answers each completion as
 * the test's {@code completion} decides, recording the answer.
 */
final class ScriptedBroker implements TaskBroker {

    private final Queue<RemoteTask> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger claims = new AtomicInteger();
    private final Map<String, Boolean> completed = new ConcurrentHashMap<>();
    private final List<String> released = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> completion = operationId -> true;
    private volatile Runnable duringClaim = () -> {
    };

    ScriptedBroker(String... operationIds) {
        for (String operationId : operationIds) {
            queued.add(task(operationId));
        }
    }

    static RemoteTask task(String operationId) {
        return new RemoteTask(operationId, "run-of-" + operationId, 1, 1, "q", "echo", "\"input\"", 1, Duration.ofSeconds(30));
    }

    /** How a completion is answered; it may block, as a commit does. */
    ScriptedBroker completion(Predicate<String> completion) {
        this.completion = completion;
        return this;
    }

    int claims() {
        return claims.get();
    }

    /** What each claim does before it returns; it may block, as a slow query does. */
    ScriptedBroker duringClaim(Runnable step) {
        this.duringClaim = step;
        return this;
    }

    /** The claims released so far. */
    List<String> released() {
        return released;
    }

    /** The completions answered so far, and their answers. */
    Map<String, Boolean> completed() {
        return completed;
    }

    @Override
    public List<RemoteTask> claim(String queue, int max, Collection<String> activities) {
        claims.incrementAndGet();
        duringClaim.run();
        List<RemoteTask> claimed = new ArrayList<>();
        RemoteTask next;
        while (claimed.size() < max && (next = queued.poll()) != null) {
            claimed.add(next);
        }
        return claimed;
    }

    @Override
    public boolean complete(String operationId, @Nullable String resultJson) {
        boolean accepted = completion.test(operationId);
        completed.put(operationId, accepted);
        return accepted;
    }

    @Override
    public boolean fail(String operationId, FailureInfo failure) {
        return complete(operationId, null);
    }

    @Override
    public Set<String> extend(Collection<RemoteTask> tasks) {
        return Set.of();
    }

    @Override
    public void release(Collection<String> operationIds) {
        released.addAll(operationIds);
    }

    @Override
    public AutoCloseable onWork(String queue, Runnable wake) {
        return () -> {
        };
    }

    @Override
    public AutoCloseable takeEagerly(String queue, EagerTaker taker) {
        return () -> {
        };
    }
}
