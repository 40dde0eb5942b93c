package dev.weft.failure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A worker node was started with the id of a node that is still alive: its heartbeat in the node
 * table, on the database clock, is younger than a lease. Were it allowed, the new node would take
 * up the live node's runs as its own from before a restart, and both would drive them.
 */
public class NodeIdInUseException extends WeftException {

    public static final String CODE = "NODE_ID_IN_USE";

    private final String nodeId;
    private final Duration sinceHeartbeat;
    private final @Nullable String host;
    private final @Nullable Long pid;

    /**
     * @param nodeId the node id asked for
     * @param sinceHeartbeat how long ago, on the database clock, the live node's last heartbeat was
     * @param host the host the live node registered from, if known
     * @param pid the process id the live node registered with, if known
     */
    public NodeIdInUseException(String nodeId, Duration sinceHeartbeat, @Nullable String host, @Nullable Long pid) {
        super(CODE, FailureCategory.APPLICATION, "Another live node uses node id '" + nodeId + "'"
                + (host != null ? " (on " + host + (pid != null ? ", process " + pid : "") + ")" : "")
                + ": its last heartbeat was " + sinceHeartbeat.toMillis() / 1000 + " s ago", null);
        this.nodeId = nodeId;
        this.sinceHeartbeat = sinceHeartbeat;
        this.host = host;
        this.pid = pid;
    }

    public String nodeId() {
        return nodeId;
    }

    /** How long ago, on the database clock, the live node's last heartbeat was. */
    public Duration sinceHeartbeat() {
        return sinceHeartbeat;
    }

    public @Nullable String host() {
        return host;
    }

    public @Nullable Long pid() {
        return pid;
    }
}
