package dev.weft.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A claim offered with a task as it is enqueued, by a worker pool of the enqueuing node that has a
 * free slot: the task is written already claimed under it, so that no claim transaction (and none
 * of its latency) stands between the checkpoint's commit and the activity's start.
 *
 * <p>The store takes the offer only when, inside the enqueuing transaction, the queue is plain:
 * its row exists and is locked against a concurrent change (a pause, a limit, fairness, set by any
 * node), none of those is set, and no task of the queue waits to be claimed (a waiting task goes
 * first, by priority and age, as a claim would take it). Otherwise the task is written unclaimed
 * and the pools claim it as any other. The store answers through {@link #taken()}, which the
 * enqueuing node reads once the checkpoint is committed. An offer taken is a claim like any
 * other: kept alive by its node, expiring, claimed again after a crash, its token fencing the
 * outcome.
 */
public final class EagerClaim {

    private final String token;
    private final String node;
    private final Instant expiresAt;
    private volatile boolean taken;

    /**
     * @param token the claim's token
     * @param node the node whose pool would run the task
     * @param expiresAt when the claim lapses unless extended (engine clock)
     */
    public EagerClaim(String token, String node, Instant expiresAt) {
        this.token = Objects.requireNonNull(token, "token");
        this.node = Objects.requireNonNull(node, "node");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public String token() {
        return token;
    }

    public String node() {
        return node;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** Whether the committed task was written claimed under this offer; meaningful once its checkpoint is committed. */
    public boolean taken() {
        return taken;
    }

    /**
     * Set by the store as it writes the task, on every attempt of the write: whether it wrote the
     * task claimed under this offer.
     */
    public void markTaken(boolean taken) {
        this.taken = taken;
    }

    @Override
    public String toString() {
        return "EagerClaim[node=" + node + ", expiresAt=" + expiresAt + ", taken=" + taken + "]";
    }
}
