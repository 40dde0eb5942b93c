package dev.weft.store.jdbc;

import dev.weft.WorkflowStatus;
import dev.weft.store.CancelRequest;
import dev.weft.store.RunRecord;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run table's rows outside the group commit: reading runs, and the requests that change a
 * run's state from outside its owner (cancel, suspend, resume, wake-up flags). Ownership lives in
 * {@link JdbcLeaseDao}.
 */
final class JdbcRunDao {

    /** The columns a {@link RunRecord} is read from, for every statement that selects whole runs. */
    static final String COLUMNS = """
            id, type, status, input, result, error_type, error_message, error_category, error_code,
              error_stack, owner, epoch, lease_expires_at, cancel_requested, created_at, completed_at,
              deadline_at, version, parent_id, parent_seq, depth, restarted_from, concurrency_key""";

    // The columns a new run is written with, and their values from the parameters of JdbcValues.newRun.
    static final String NEW_RUN_COLUMNS = """
            id, type, status, input, owner, epoch, lease_expires_at, claimed_at, cancel_requested,
              created_at, updated_at, deadline_at, version, parent_id, parent_seq, parent_close_policy, depth""";

    static final String NEW_RUN_VALUES = """
            :id, :type, 'running', :input, :owner, 1, %LEASE_UNTIL%, %NOW%, false, :createdAt, %NOW%,
              :deadline, :version, :parentId, :parentSeq, :parentClosePolicy, :depth""";

    static final String INSERT_RUN = "insert into %PREFIX%run (" + NEW_RUN_COLUMNS + ")\nvalues (" + NEW_RUN_VALUES + ")";

    // The same row as INSERT_RUN, written only when no run has the id: a duplicate inserts nothing
    // instead of failing the group-commit transaction it shares with other runs' checkpoints.
    static final String INSERT_RUN_IF_ABSENT = "insert into %PREFIX%run (" + NEW_RUN_COLUMNS + ")\nselect " + NEW_RUN_VALUES
            + "\nfrom (select 1 as one) single_row"
            + "\nwhere not exists (select 1 from %PREFIX%run existing where existing.id = :id)";

    private static final String SELECT_RUN = "select " + COLUMNS + "\nfrom %PREFIX%run where id = :id";

    private static final String SELECT_RUNS = "select " + COLUMNS + "\nfrom %PREFIX%run where id in (:ids)";

    private static final String SELECT_STATUS = "select status from %PREFIX%run where id = :id";

    private static final String REQUEST_CANCEL = """
            update %PREFIX%run set cancel_requested = true, wake_requested = true, wake_at = null, updated_at = %NOW%
            where id = :id and status = 'running'""";

    // Ends at the database's clock: the store has no clock of its own, and leases already go by this one.
    // A queued run ends the same way: it never ran, and holds no slot that its end would free.
    private static final String CANCEL_UNDRIVEN = """
            update %PREFIX%run set status = 'cancelled', completed_at = %NOW%, cancel_requested = true,
              updated_at = %NOW%
            where id = :id and status in ('suspended', 'queued')""";

    private static final String SELECT_CANCEL_REQUESTED = """
            select id from %PREFIX%run
            where owner = :node and status = 'running' and cancel_requested = true
            order by created_at, id""";

    private static final String SELECT_WAKE_REQUESTED = """
            select id from %PREFIX%run where owner = :node and status = 'running' and wake_requested = true""";

    private static final String CLEAR_WAKE = "update %PREFIX%run set wake_requested = false where id in (:ids)";

    private static final String SUSPEND = """
            update %PREFIX%run set status = 'suspended', epoch = epoch + 1, owner = null, lease_expires_at = null,
              wake_at = null, updated_at = %NOW%
            where id = :id and status = 'running'""";

    private static final String UNSUSPEND = """
            update %PREFIX%run set status = 'running', owner = null, lease_expires_at = null, updated_at = %NOW%
            where id = :id and status = 'suspended'""";

    private final StoreTemplate store;

    JdbcRunDao(StoreTemplate store) {
        this.store = store;
    }

    Optional<RunRecord> findRun(String runId) {
        return store.translated("read run '" + runId + "'", () -> store.jdbc().sql(store.resolve(SELECT_RUN))
                .param("id", runId)
                .query(store.values().runMapper())
                .optional());
    }

    Map<String, RunRecord> findRuns(Collection<String> runIds) {
        Map<String, RunRecord> runs = new HashMap<>();
        for (List<String> chunk : StoreTemplate.chunks(runIds)) {
            store.translated("read " + chunk.size() + " runs", () -> store.jdbc().sql(store.resolve(SELECT_RUNS))
                    .param("ids", chunk)
                    .query(store.values().runMapper())
                    .list()).forEach(run -> runs.put(run.id(), run));
        }
        return runs;
    }

    Optional<WorkflowStatus> findStatus(String runId) {
        return store.translated("read the status of run '" + runId + "'", () -> store.jdbc().sql(store.resolve(SELECT_STATUS))
                .param("id", runId)
                .query((rs, row) -> WorkflowStatus.fromWireName(rs.getString("status")))
                .optional());
    }

    CancelRequest requestCancel(String runId) {
        // Twice at most: a queued run admitted between the two updates is running by the second pass.
        // A run never goes back to queued or suspended by itself, so a third pass would find what the second did.
        for (int pass = 1; ; pass++) {
            int updated = store.inTransaction("request the cancellation of run '" + runId + "'",
                    () -> store.jdbc().sql(store.resolve(REQUEST_CANCEL)).param("id", runId).update());
            if (updated > 0) {
                return CancelRequest.REQUESTED;
            }
            // A suspended or queued run has no owner to carry the request out: it ends cancelled here and now.
            if (store.inTransaction("cancel suspended or queued run '" + runId + "'",
                    () -> store.jdbc().sql(store.resolve(CANCEL_UNDRIVEN)).param("id", runId).update()) > 0) {
                return CancelRequest.REQUESTED;
            }
            Optional<WorkflowStatus> status = findStatus(runId);
            if (status.isEmpty()) {
                return CancelRequest.NOT_FOUND;
            }
            if (status.get().isTerminal() || pass == 2) {
                return CancelRequest.ALREADY_FINISHED;
            }
        }
    }

    List<String> findCancelRequested(String node) {
        return store.translated("find cancellations for node '" + node + "'", () -> store.jdbc()
                .sql(store.resolve(SELECT_CANCEL_REQUESTED))
                .param("node", node)
                .query((rs, row) -> rs.getString("id"))
                .list());
    }

    List<String> takeWakeRequests(String node) {
        // Asked every renewal interval and nearly always empty: a plain read answers that in one round
        // trip, where a transaction costs several (more on MariaDB), in the pool the lease renewals use too.
        boolean any = store.translated("find the wake-ups of node '" + node + "'", () -> !store.jdbc()
                .sql(store.resolve(SELECT_WAKE_REQUESTED)).param("node", node).query((rs, row) -> rs.getString("id")).list().isEmpty());
        if (!any) {
            return List.of();
        }
        return store.inTransaction("take the wake-ups of node '" + node + "'", () -> {
            List<String> ids = store.jdbc().sql(store.resolve(SELECT_WAKE_REQUESTED)).param("node", node)
                    .query((rs, row) -> rs.getString("id")).list();
            if (!ids.isEmpty()) {
                store.jdbc().sql(store.resolve(CLEAR_WAKE)).param("ids", ids).update();
            }
            return ids;
        });
    }

    Optional<WorkflowStatus> suspend(String runId) {
        return store.inTransaction("suspend run '" + runId + "'", () -> {
            Optional<WorkflowStatus> before = findStatus(runId);
            if (before.isPresent() && before.get() == WorkflowStatus.RUNNING
                    && store.jdbc().sql(store.resolve(SUSPEND)).param("id", runId).update() == 0) {
                return findStatus(runId);
            }
            return before;
        });
    }

    boolean unsuspend(String runId) {
        return store.inTransaction("resume run '" + runId + "'",
                () -> store.jdbc().sql(store.resolve(UNSUSPEND)).param("id", runId).update() == 1);
    }
}
