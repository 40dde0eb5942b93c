package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.failure.NodeIdInUseException;
import dev.weft.failure.StoreException;
import dev.weft.store.WorkflowStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker node's row in the node table: registered when the engine is built (refused while
 * another live node holds the id), beaten at every lease renewal pass, removed at close. A node
 * whose heartbeat is older than a lease is taken to be dead, the same bound after which its runs
 * may be adopted.
 */
final class NodeRegistration {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ENGINE);

    private final WorkflowStore store;
    private final String nodeId;
    private final boolean enabled;
    private volatile boolean missingReported;

    NodeRegistration(WorkflowStore store, String nodeId, boolean enabled) {
        this.store = store;
        this.nodeId = nodeId;
        this.enabled = enabled;
    }

    /**
     * Takes the node id, or throws {@link NodeIdInUseException}. A holder on this host whose
     * process is no longer running is a previous incarnation that was killed: its id is taken
     * over at once, so a process restarted on its machine does not wait out a lease.
     */
    void register(Duration lease) {
        if (!enabled) {
            return;
        }
        @Nullable String host = host();
        long pid = ProcessHandle.current().pid();
        try {
            store.registerNode(nodeId, host, pid, lease);
        } catch (NodeIdInUseException e) {
            if (!deadOnThisHost(e, host, pid)) {
                throw e;
            }
            LOG.info("Node id {} was held by process {} on this host, which is no longer running; taking it over", nodeId, e.pid());
            store.registerNode(nodeId, host, pid, Duration.ZERO);
        }
    }

    private static boolean deadOnThisHost(NodeIdInUseException e, @Nullable String host, long pid) {
        Long holder = e.pid();
        if (host == null || holder == null || !host.equals(e.host())) {
            return false;
        }
        // Not when the id is this process's own: in a container the new process often has the old
        // one's id, and so may a live replica in another container given the same host name.
        return holder != pid && !ProcessHandle.of(holder).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Records that the node is alive; run on the lease keeper's thread. */
    void heartbeat() {
        if (!enabled) {
            return;
        }
        if (!store.heartbeatNode(nodeId)) {
            if (!missingReported) {
                missingReported = true;
                LOG.warn("The row of node {} is gone from the node table (removed by hand, or taken over after this node's "
                        + "heartbeats lapsed); another process may now use its id", nodeId);
            }
        } else {
            missingReported = false;
        }
    }

    /** Frees the node id at a clean shutdown. */
    void remove() {
        if (!enabled) {
            return;
        }
        try {
            store.removeNode(nodeId);
        } catch (StoreException e) {
            LOG.warn("Could not remove node {} from the node table; its id is free once its heartbeat is older than a lease",
                    nodeId, e);
        }
    }

    private static @Nullable String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
