package dev.weft.spring.remote;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the worker that takes a task of a run, among one queue's connected workers: the worker
 * that ran the run's previous activity when it runs this one and takes the task (sticky), else the
 * others that run it, least loaded first. Only the most recent runs' last workers are remembered.
 */
final class WorkerRouting {

    /** How many runs' last worker is remembered for sticky routing. */
    private static final int STICKY_RUNS = 10_000;

    private final Map<String, ConnectedWorker> workers;
    private final Map<String, String> lastWorkerOfRun = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > STICKY_RUNS;
        }
    };
    /** Guards {@link #lastWorkerOfRun}: an access-ordered map changes on every read. */
    private final ReentrantLock lock = new ReentrantLock();

    /** @param workers the queue's connected workers by id, as they come and go */
    WorkerRouting(Map<String, ConnectedWorker> workers) {
        this.workers = workers;
    }

    /** Remembers who ran a run's activity, for the run's next one. */
    void ran(String runId, String workerId) {
        lock.lock();
        try {
            lastWorkerOfRun.put(runId, workerId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The first of {@code candidates} that {@code takes} a task of the run: the run's sticky worker
     * when it runs the activity, else the others that run it, least {@code load} first; {@code null}
     * when none took it.
     */
    @Nullable ConnectedWorker firstTaking(Collection<ConnectedWorker> candidates, String runId, String activity,
            ToIntFunction<ConnectedWorker> load, Predicate<ConnectedWorker> takes) {
        String sticky;
        lock.lock();
        try {
            sticky = lastWorkerOfRun.get(runId);
        } finally {
            lock.unlock();
        }
        ConnectedWorker preferred = sticky == null ? null : workers.get(sticky);
        if (preferred != null && candidates.contains(preferred) && preferred.runs(activity) && takes.test(preferred)) {
            return preferred;
        }
        // the sticky worker was asked already: a second try would spend another slot of it, or wait again
        List<ConnectedWorker> capable = candidates.stream().filter(worker -> worker != preferred && worker.runs(activity))
                .sorted(Comparator.comparingInt(load).thenComparing(ConnectedWorker::id)).toList();
        for (ConnectedWorker worker : capable) {
            if (takes.test(worker)) {
                return worker;
            }
        }
        return null;
    }
}
