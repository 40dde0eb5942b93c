package dev.weft.spring.boot.actuate.health;

import dev.weft.WeftEngine;
import dev.weft.WorkflowStatus;
import dev.weft.client.WorkflowFilter;
import dev.weft.visibility.WorkflowRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import dev.weft.queue.QueueInfo;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of this node's Weft engine: whether its store answers and whether its leases are
 * being renewed, with the running and overdue runs of the whole database as details.
 *
 * <p>DOWN when the store cannot be reached or this node's last lease renewal failed: in both cases
 * the node cannot keep the runs it drives, and other nodes will adopt them once their leases
 * lapse. Overdue runs (running runs that no live node has held for longer than
 * {@code overdueAfter}) are a detail only: they belong to nodes that died or to workflow types no
 * live node registers, so this node is not the one at fault and restarting it would not help.
 * Alert on the {@code overdueRuns} detail rather than on this indicator's status.
 *
 * <p>The {@code queues} detail shows each activity queue's depth, tasks in flight and oldest wait;
 * {@code queueBacklog} is {@code warning} (naming the queues) when a queue's oldest waiting task
 * has waited longer than {@code queueBacklogAfter}: a queue no node serves, a paused one, or one
 * whose limits or pools are too small for its load. Like overdue runs it is a detail, not a status.
 *
 * <p>On a node with a remote worker endpoint, {@link RemoteWorkerHealth} adds the {@code remoteWorkers}
 * and {@code remoteWorkerHeartbeat} details.
 */
public class WeftHealthIndicator extends AbstractHealthIndicator {

    private static final WorkflowFilter RUNNING = WorkflowFilter.all().withStatuses(WorkflowStatus.RUNNING);

    private final WeftEngine engine;

    private final WorkflowRuns runs;

    private final Duration overdueAfter;

    private final Duration queueBacklogAfter;

    private final @Nullable RemoteWorkerHealth remoteWorkers;

    /** With the default backlog threshold of five minutes. */
    public WeftHealthIndicator(WeftEngine engine, Duration overdueAfter) {
        this(engine, overdueAfter, Duration.ofMinutes(5));
    }

    /**
     * @param engine the engine of this node; its read API ({@link WeftEngine#runs()}) gives the database's details
     * @param overdueAfter how long a running run may stay without a live owner before it counts as overdue
     * @param queueBacklogAfter how long a queue's oldest task may wait before the backlog detail warns
     */
    public WeftHealthIndicator(WeftEngine engine, Duration overdueAfter, Duration queueBacklogAfter) {
        this(engine, overdueAfter, queueBacklogAfter, null);
    }

    /**
     * @param remoteWorkers the details of this node's remote workers; none on a node without their endpoint
     */
    public WeftHealthIndicator(WeftEngine engine, Duration overdueAfter, Duration queueBacklogAfter,
            @Nullable RemoteWorkerHealth remoteWorkers) {
        super("Weft health check failed");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.runs = engine.runs();
        if (overdueAfter.isNegative()) {
            throw new IllegalArgumentException("overdueAfter must not be negative, was " + overdueAfter);
        }
        this.overdueAfter = overdueAfter;
        this.queueBacklogAfter = Objects.requireNonNull(queueBacklogAfter, "queueBacklogAfter");
        this.remoteWorkers = remoteWorkers;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean renewalFailing = engine.isLeaseRenewalFailing();
        builder.withDetail("nodeId", engine.nodeId())
                .withDetail("worker", engine.isWorker())
                .withDetail("leaseRenewal", renewalFailing ? "failing" : "healthy")
                .withDetail("activeRuns", engine.activeRunCount());
        // Any of these throws when the database does not answer; the indicator then reports DOWN with the error.
        Instant databaseTime = runs.databaseTime();
        long running = runs.count(RUNNING);
        long overdue = runs.countOverdue(overdueAfter);
        builder.withDetail("store", "reachable")
                .withDetail("databaseTime", databaseTime)
                .withDetail("runningRuns", running)
                .withDetail("overdueRuns", overdue)
                .withDetail("overdueAfter", overdueAfter.toString());
        queueDetails(builder);
        if (remoteWorkers != null) {
            remoteWorkers.addTo(builder);
        }
        if (renewalFailing) {
            builder.down();
        } else {
            builder.up();
        }
    }

    private void queueDetails(Health.Builder builder) {
        List<QueueInfo> queues = engine.queues().list();
        if (queues.isEmpty()) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> backlogged = new ArrayList<>();
        for (QueueInfo queue : queues) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("depth", queue.depth());
            detail.put("inFlight", queue.inFlight());
            detail.put("paused", queue.paused());
            detail.put("servedHere", queue.servedHere());
            if (queue.oldestWaiting() != null) {
                detail.put("oldestWaiting", queue.oldestWaiting().toString());
                if (queue.oldestWaiting().compareTo(queueBacklogAfter) > 0) {
                    backlogged.add(queue.name());
                }
            }
            details.put(queue.name(), detail);
        }
        builder.withDetail("queues", details)
                .withDetail("queueBacklog", backlogged.isEmpty() ? "ok" : "warning: the oldest task of " + backlogged
                        + " has waited longer than " + queueBacklogAfter);
    }
}
