package dev.weft.spring.boot.autoconfigure;

import dev.weft.failure.NodeIdInUseException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Answers a start refused because another live process holds the same {@code weft.node-id}: most
 * often replicas sharing one configured id.
 */
class NodeIdInUseFailureAnalyzer extends AbstractFailureAnalyzer<NodeIdInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NodeIdInUseException cause) {
        String holder = cause.host() == null ? "" : " (on " + cause.host() + (cause.pid() != null ? ", process " + cause.pid() : "") + ")";
        String description = "Another live node uses node id '" + cause.nodeId() + "'" + holder + ", last heartbeat "
                + cause.sinceHeartbeat().toSeconds() + " s ago (weft.node-id). Two processes with one node id would both "
                + "drive the same runs, so this one did not start.";
        String action = "Give each replica its own weft.node-id, or leave it unset (the default is the host name and a random "
                + "suffix). If the other process has died, its id is free once its heartbeat is older than weft.lease.";
        return new FailureAnalysis(description, action, cause);
    }
}
