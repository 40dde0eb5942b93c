package dev.weft.store.jdbc;

import dev.weft.QueuePosition;
import dev.weft.WorkflowStatus;
import dev.weft.store.DeleteOutcome;
import dev.weft.store.RunQuery;
import dev.weft.store.RunRecord;
import dev.weft.store.VisibilityStore;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * The {@link VisibilityStore} over the same tables as its {@link JdbcWorkflowStore}: listings and
 * counts of runs by filter, and the removal of finished runs.
 */
final class JdbcVisibilityStore implements VisibilityStore {

    private static final String RUN_FILTER = """
            where (:anyStatus = 1 or status in (:statuses)) and (:anyType = 1 or type = :type)""";

    private static final String LIST_RUNS = "select " + JdbcRunDao.COLUMNS + " from %PREFIX%run " + RUN_FILTER
            + " order by created_at desc, id desc limit :limit offset :offset";

    private static final String COUNT_RUNS = "select count(*) from %PREFIX%run " + RUN_FILTER;

    private static final String COUNT_BY_STATUS = "select status, count(*) as runs from %PREFIX%run group by status";

    private static final String COUNT_OVERDUE = """
            select count(*) from %PREFIX%run
            where status = 'running' and (lease_expires_at is null or lease_expires_at <= %LEASE_AGO%)""";

    private static final String DELETE_FINISHED_RUN =
            "delete from %PREFIX%run where id = :id and status not in ('running', 'suspended', 'queued')";

    private final StoreTemplate store;
    private final JdbcRunDao runs;
    private final JdbcJournalDao journal;
    private final JdbcConcurrencyDao concurrency;

    JdbcVisibilityStore(StoreTemplate store, JdbcRunDao runs, JdbcJournalDao journal, JdbcConcurrencyDao concurrency) {
        this.store = store;
        this.runs = runs;
        this.journal = journal;
        this.concurrency = concurrency;
    }

    @Override
    public Optional<QueuePosition> queuePosition(String runId) {
        return concurrency.position(runId);
    }

    @Override
    public List<RunRecord> listRuns(RunQuery query) {
        return store.translated("list runs", () -> store.jdbc().sql(store.resolve(LIST_RUNS))
                .paramSource(filter(query).addValue("limit", query.limit()).addValue("offset", query.offset()))
                .query(store.values().runMapper())
                .list());
    }

    @Override
    public long countRuns(RunQuery query) {
        return store.translated("count runs", () -> store.jdbc().sql(store.resolve(COUNT_RUNS))
                .paramSource(filter(query))
                .query(Long.class)
                .single());
    }

    private static MapSqlParameterSource filter(RunQuery query) {
        // An empty "in ()" is not valid SQL: an unused placeholder value stands in when every status is wanted.
        List<String> statuses = query.statuses().isEmpty() ? List.of("")
                : query.statuses().stream().map(WorkflowStatus::wireName).sorted().toList();
        return new MapSqlParameterSource()
                .addValue("anyStatus", query.statuses().isEmpty() ? 1 : 0)
                .addValue("statuses", statuses)
                .addValue("anyType", query.type() == null ? 1 : 0)
                .addValue("type", query.type() == null ? "" : query.type());
    }

    @Override
    public Map<WorkflowStatus, Long> countByStatus() {
        Map<WorkflowStatus, Long> counts = new EnumMap<>(WorkflowStatus.class);
        store.translated("count runs by status", () -> {
            store.jdbc().sql(store.resolve(COUNT_BY_STATUS)).query(rs -> {
                counts.put(WorkflowStatus.fromWireName(rs.getString("status")), rs.getLong("runs"));
            });
            return counts;
        });
        return counts;
    }

    @Override
    public long countOverdue(Duration beyond) {
        String statement = store.resolve(COUNT_OVERDUE.replace("%LEASE_AGO%", store.sql().dialect().nowPlusMicros(":minusMicros")));
        return store.translated("count overdue runs", () -> store.jdbc().sql(statement)
                .param("minusMicros", -(beyond.toNanos() / 1_000))
                .query(Long.class)
                .single());
    }

    @Override
    public DeleteOutcome deleteRun(String runId) {
        return store.inTransaction("delete run '" + runId + "'", () -> {
            if (store.jdbc().sql(store.resolve(DELETE_FINISHED_RUN)).param("id", runId).update() == 1) {
                journal.deleteJournal(runId);
                return DeleteOutcome.DELETED;
            }
            return runs.findStatus(runId).isPresent() ? DeleteOutcome.STILL_RUNNING : DeleteOutcome.NOT_FOUND;
        });
    }
}
