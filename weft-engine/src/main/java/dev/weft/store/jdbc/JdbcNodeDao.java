package dev.weft.store.jdbc;

import dev.weft.failure.NodeIdInUseException;
import dev.weft.failure.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;

/**
 * The node table: one row per live worker node, its heartbeat on the database clock. A node id is
 * taken only when no row holds it or the row's heartbeat is older than the caller's staleness
 * bound, so two live processes never share an id.
 */
final class JdbcNodeDao {

    private static final String LOCK_NODE = """
            select host, pid, heartbeat_at, %NOW% as db_now from %PREFIX%node where node_id = :nodeId for update""";

    private static final String INSERT_NODE = """
            insert into %PREFIX%node (node_id, host, pid, started_at, heartbeat_at)
            values (:nodeId, :host, :pid, %NOW%, %NOW%)""";

    private static final String TAKE_OVER_NODE = """
            update %PREFIX%node set host = :host, pid = :pid, started_at = %NOW%, heartbeat_at = %NOW%
            where node_id = :nodeId""";

    private static final String HEARTBEAT = "update %PREFIX%node set heartbeat_at = %NOW% where node_id = :nodeId";

    private static final String REMOVE = "delete from %PREFIX%node where node_id = :nodeId";

    private final StoreTemplate store;

    JdbcNodeDao(StoreTemplate store) {
        this.store = store;
    }

    void register(String nodeId, @Nullable String host, @Nullable Long pid, Duration staleAfter) {
        try {
            store.inTransaction("register node '" + nodeId + "'", () -> {
                Optional<Holder> holder = store.jdbc().sql(store.resolve(LOCK_NODE)).param("nodeId", nodeId)
                        .query((rs, row) -> new Holder(rs.getString("host"), (Long) rs.getObject("pid", Long.class),
                                store.values().requiredInstant(rs, "heartbeat_at"), store.values().requiredInstant(rs, "db_now")))
                        .optional();
                if (holder.isEmpty()) {
                    return write(INSERT_NODE, nodeId, host, pid);
                }
                Duration since = Duration.between(holder.get().heartbeatAt(), holder.get().now());
                if (since.compareTo(staleAfter) < 0) {
                    throw new NodeIdInUseException(nodeId, since.isNegative() ? Duration.ZERO : since, holder.get().host(),
                            holder.get().pid());
                }
                // the holder stopped beating for longer than a lease: a crashed process, whose id is free
                return write(TAKE_OVER_NODE, nodeId, host, pid);
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof DuplicateKeyException) {
                // another process inserted the id between our look and our insert: it is alive now
                throw new NodeIdInUseException(nodeId, Duration.ZERO, null, null);
            }
            throw e;
        }
    }

    boolean heartbeat(String nodeId) {
        return store.inTransaction("record the heartbeat of node '" + nodeId + "'",
                () -> store.jdbc().sql(store.resolve(HEARTBEAT)).param("nodeId", nodeId).update()) > 0;
    }

    void remove(String nodeId) {
        store.inTransaction("remove node '" + nodeId + "'", () -> store.jdbc().sql(store.resolve(REMOVE)).param("nodeId", nodeId).update());
    }

    private int write(String statement, String nodeId, @Nullable String host, @Nullable Long pid) {
        return store.jdbc().sql(store.resolve(statement)).param("nodeId", nodeId).param("host", host).param("pid", pid).update();
    }

    /** The live holder of a node id, as its row says, and the database's now. */
    private record Holder(@Nullable String host, @Nullable Long pid, Instant heartbeatAt, Instant now) {
    }
}
