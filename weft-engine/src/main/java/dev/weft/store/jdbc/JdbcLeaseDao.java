package dev.weft.store.jdbc;

import dev.weft.store.RunClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The ownership columns of the run table: claims (one run, or the recoverable runs in bulk),
 * lease renewals and releases. Every claim raises the run's epoch, which fences the previous
 * owner's writes; lease times come from the database clock.
 */
final class JdbcLeaseDao {

    // The lapsed-lease test is "<=" so that a zero lease is lapsed for any later transaction.
    // A node's own runs are recoverable only when an earlier incarnation claimed them: the runs the
    // live engine drives itself have later claim times and must not be fenced off by its own claim.
    private static final String RECOVERABLE = """
            (owner is null or lease_expires_at <= %NOW% or (owner = :node and claimed_at < :ownClaimedBefore))""";

    private static final String LOCK_RECOVERABLE = """
            select id, type, epoch, cancel_requested, owner, wake_at, wake_requested from %PREFIX%run
            where status = 'running' and type in (:types)
              and %RECOVERABLE% and (wake_at is null or wake_at <= :wakeDueBy)
            order by created_at, id
            limit :limit%SKIP_LOCKED%""";

    // whether a claim would find anything, without locking: most adoption passes find nothing
    private static final String ANY_RECOVERABLE = """
            select id from %PREFIX%run
            where status = 'running' and type in (:types)
              and %RECOVERABLE% and (wake_at is null or wake_at <= :wakeDueBy)
            limit 1""";

    // one row by primary key per statement: an "id in (...)" update may be planned as an index
    // scan on MariaDB and then wait for rows another claimer locked, a deadlock
    private static final String TAKE_OVER = """
            update %PREFIX%run set owner = :node, epoch = epoch + 1, lease_expires_at = %LEASE_UNTIL%,
              claimed_at = %NOW%, wake_at = null, wake_requested = false, updated_at = %NOW%
            where id = :id""";

    private static final String CLAIM_ONE = """
            update %PREFIX%run set owner = :node, epoch = epoch + 1, lease_expires_at = %LEASE_UNTIL%,
              claimed_at = %NOW%, updated_at = %NOW%
            where id = :id and status = 'running'
              and (owner = :node or owner is null or lease_expires_at <= %NOW%)""";

    private static final String SELECT_CLAIM = "select type, epoch, cancel_requested from %PREFIX%run where id = :id";

    // Locks the rows to renew in id order first, as a group commit does: an update of many rows
    // alone locks them in the order of its scan, and deadlocked with commits of the same runs.
    private static final String LOCK_FOR_RENEWAL = """
            select id from %PREFIX%run
            where owner = :node and status = 'running' and id in (:ids)
            order by id for update""";

    private static final String RENEW_LEASES = """
            update %PREFIX%run set lease_expires_at = %LEASE_UNTIL%
            where owner = :node and status = 'running' and id in (:ids)""";

    private static final String RELEASE = """
            update %PREFIX%run set owner = null, lease_expires_at = null, updated_at = %NOW%
            where id = :id and epoch = :epoch and status = 'running'""";

    private static final String COUNT_RECOVERABLE_BY_TYPE = """
            select type, count(*) as runs from %PREFIX%run
            where status = 'running' and %RECOVERABLE%
            group by type""";

    private static final String COUNT_RECOVERABLE_OF_OTHER_TYPES = """
            select type, count(*) as runs from %PREFIX%run
            where status = 'running' and type not in (:types)
              and %RECOVERABLE%
            group by type""";

    private final StoreTemplate store;

    JdbcLeaseDao(StoreTemplate store) {
        this.store = store;
    }

    List<RunClaim> claimRecoverable(String node, Instant ownClaimedBefore, Instant wakeDueBy, Collection<String> types,
            Duration lease, int limit) {
        if (types.isEmpty() || limit < 1) {
            return List.of();
        }
        JdbcValues values = store.values();
        // Adoption asks this every few seconds and nearly always finds nothing: a plain read answers
        // that in one round trip, where the locking transaction costs several (more on MariaDB), in
        // the pool the lease renewals use too. A run that lapses just after is claimed at the next pass.
        boolean any = store.translated("look for recoverable runs for node '" + node + "'", () -> !store.jdbc()
                .sql(recoverable(ANY_RECOVERABLE))
                .param("types", List.copyOf(types))
                .param("node", node)
                .param("ownClaimedBefore", values.bindable(ownClaimedBefore))
                .param("wakeDueBy", values.bindable(wakeDueBy))
                .query((rs, row) -> rs.getString("id"))
                .list().isEmpty());
        if (!any) {
            return List.of();
        }
        return store.inTransaction("claim recoverable runs for node '" + node + "'", () -> {
            List<RunClaim> locked = store.jdbc().sql(recoverable(LOCK_RECOVERABLE))
                    .param("types", List.copyOf(types))
                    .param("node", node)
                    .param("ownClaimedBefore", values.bindable(ownClaimedBefore))
                    .param("wakeDueBy", values.bindable(wakeDueBy))
                    .param("limit", limit)
                    .query((rs, row) -> new RunClaim(rs.getString("id"), rs.getString("type"),
                            rs.getLong("epoch") + 1, rs.getBoolean("cancel_requested"), rs.getString("owner"),
                            rs.getString("owner") == null && (rs.getObject("wake_at") != null || rs.getBoolean("wake_requested")),
                            rs.getBoolean("wake_requested")))
                    .list();
            if (!locked.isEmpty()) {
                // the rows are locked by the select, so "epoch + 1" is the epoch each claim reports
                SqlParameterSource[] params = locked.stream()
                        .map(claim -> JdbcValues.lease(new MapSqlParameterSource()
                                .addValue("node", node).addValue("id", claim.runId()), lease))
                        .toArray(SqlParameterSource[]::new);
                store.batch().batchUpdate(store.resolve(TAKE_OVER), params);
            }
            return locked;
        });
    }

    Optional<RunClaim> claim(String runId, String node, Duration lease) {
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("id", runId).addValue("node", node);
        JdbcValues.lease(params, lease);
        return store.inTransaction("claim run '" + runId + "' for node '" + node + "'", () -> {
            // no RETURNING on MariaDB: the update locks the row, the select reads it back
            if (store.jdbc().sql(store.resolve(CLAIM_ONE)).paramSource(params).update() == 0) {
                return Optional.empty();
            }
            return store.jdbc().sql(store.resolve(SELECT_CLAIM))
                    .param("id", runId)
                    .query((rs, row) -> new RunClaim(runId, rs.getString("type"), rs.getLong("epoch"),
                            rs.getBoolean("cancel_requested")))
                    .optional();
        });
    }

    int renewLeases(String node, Collection<String> runIds, Duration lease) {
        if (runIds.isEmpty()) {
            return 0;
        }
        MapSqlParameterSource params = JdbcValues.lease(new MapSqlParameterSource().addValue("node", node)
                .addValue("ids", List.copyOf(runIds)), lease);
        return store.inTransaction("renew the leases of node '" + node + "'", () -> {
            store.jdbc().sql(store.resolve(LOCK_FOR_RENEWAL)).paramSource(params).query(String.class).list();
            return store.jdbc().sql(store.resolve(RENEW_LEASES)).paramSource(params).update();
        });
    }

    void release(String runId, long epoch) {
        store.inTransaction("release run '" + runId + "'", () -> store.jdbc().sql(store.resolve(RELEASE))
                .param("id", runId)
                .param("epoch", epoch)
                .update());
    }

    Map<String, Long> countRecoverableOfOtherTypes(String node, Instant ownClaimedBefore, Collection<String> knownTypes) {
        Map<String, Long> counts = new LinkedHashMap<>();
        String query = knownTypes.isEmpty() ? COUNT_RECOVERABLE_BY_TYPE : COUNT_RECOVERABLE_OF_OTHER_TYPES;
        store.translated("count recoverable runs for node '" + node + "'", () -> {
            JdbcClient.StatementSpec statement = store.jdbc().sql(recoverable(query)).param("node", node)
                    .param("ownClaimedBefore", store.values().bindable(ownClaimedBefore));
            if (!knownTypes.isEmpty()) {
                statement = statement.param("types", List.copyOf(knownTypes));
            }
            statement.query(rs -> {
                counts.put(rs.getString("type"), rs.getLong("runs"));
            });
            return counts;
        });
        return counts;
    }

    private String recoverable(String statement) {
        return store.resolve(statement.replace("%RECOVERABLE%", RECOVERABLE));
    }
}
