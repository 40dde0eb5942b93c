package dev.weft.spring.remote;

import dev.weft.queue.RemoteTask;
import dev.weft.queue.TaskBroker;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps the claims of live remote workers alive: every third of the shortest visibility timeout it
 * extends the claims of every worker that heartbeats (and of those within their reconnect grace),
 * in one round trip. A claim found lost (its run was cancelled or ended, or it lapsed and the task
 * was claimed again) is reported so its worker gets a {@code cancel}. A worker silent past the
 * heartbeat timeout is reported too: its claims are not extended.
 */
final class ClaimRenewal {

    private static final Log LOG = LogFactory.getLog(ClaimRenewal.class);
    private static final Duration SHORTEST_TICK = Duration.ofMillis(50);
    private static final Duration LONGEST_TICK = Duration.ofSeconds(5);
    private static final Duration IDLE_TICK = Duration.ofMillis(100);

    private final TaskBroker broker;
    private final TimeSource time;
    private final RemoteWorkerSettings settings;
    private final Supplier<List<ConnectedWorker>> workers;
    private final BiConsumer<ConnectedWorker, String> lost;
    private final Consumer<ConnectedWorker> silent;
    private volatile boolean stopped;

    ClaimRenewal(TaskBroker broker, TimeSource time, RemoteWorkerSettings settings, Supplier<List<ConnectedWorker>> workers,
            BiConsumer<ConnectedWorker, String> lost, Consumer<ConnectedWorker> silent) {
        this.broker = broker;
        this.time = time;
        this.settings = settings;
        this.workers = workers;
        this.lost = lost;
        this.silent = silent;
    }

    void start() {
        Thread.ofVirtual().name("weft-remote-claims").start(this::renewWhileOpen);
    }

    private void renewWhileOpen() {
        while (!stopped) {
            Map<String, ConnectedWorker> holders = new HashMap<>();
            Map<String, RemoteTask> claims = new HashMap<>();
            Duration tick = LONGEST_TICK;
            for (ConnectedWorker worker : workers.get()) {
                if (worker.isConnected() && Duration.between(worker.lastHeartbeat(), time.now())
                        .compareTo(settings.heartbeatTimeout()) > 0) {
                    silent.accept(worker);
                    continue;
                }
                for (RemoteTask task : worker.assignments()) {
                    holders.put(task.operationId(), worker);
                    claims.put(task.operationId(), task);
                    Duration third = task.visibilityTimeout().dividedBy(3);
                    tick = third.compareTo(tick) < 0 ? third : tick;
                }
            }
            if (!claims.isEmpty()) {
                try {
                    Set<String> gone = broker.extend(claims.values());
                    gone.forEach(operationId -> lost.accept(holders.get(operationId), operationId));
                } catch (RuntimeException e) {
                    LOG.warn("Could not extend " + claims.size() + " claims of remote workers; they expire unless a later "
                            + "extension gets through", e);
                }
            }
            // with no claims, soon: a task assigned meanwhile must be extended within a third of its timeout
            pause(claims.isEmpty() ? IDLE_TICK : tick.compareTo(SHORTEST_TICK) < 0 ? SHORTEST_TICK : tick);
        }
    }

    private void pause(Duration tick) {
        try {
            time.timer(time.now().plus(tick)).join();
        } catch (RuntimeException e) {
            stopped = true;
        }
    }

    /** Stops renewing: the thread ends at its next tick. */
    void stop() {
        stopped = true;
    }
}
