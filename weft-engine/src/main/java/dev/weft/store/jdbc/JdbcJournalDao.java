package dev.weft.store.jdbc;

import dev.weft.failure.FailureInfo;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * The journal table outside the group commit: reading journals, adopting the out-of-band outcome
 * of a pending attempt, and removing a deleted run's entries. The group commit writes entries
 * through {@link CheckpointWriter}.
 */
final class JdbcJournalDao {

    /**
     * The columns a {@link JournalEntry} is read from (with its run's id); the upserts of the
     * checkpoint writers add {@code updated_at} to them.
     */
    static final String COLUMNS = "run_id, seq, kind, name, state, result, error_type, error_message,"
            + " error_category, error_code, error_stack, attempt, due_at, scheduled_at";

    private static final String SELECT_JOURNAL = "select " + COLUMNS + "\nfrom %PREFIX%journal where run_id = :runId order by seq";

    private static final String SELECT_JOURNALS = "select " + COLUMNS
            + "\nfrom %PREFIX%journal where run_id in (:ids) order by run_id, seq";

    private static final String SELECT_JOURNAL_ENTRY = "select " + COLUMNS
            + "\nfrom %PREFIX%journal where run_id = :runId and seq = :seq";

    // The run row is locked first, as a commit batch locks it, so the two never wait on each other in a cycle.
    private static final String FLAG_WAKE = """
            update %PREFIX%run set wake_requested = true, updated_at = %NOW%
            where id = :runId and status = 'running'""";

    private static final String RESOLVE_PENDING = """
            update %PREFIX%journal set state = :state, result = :result, error_type = :errorType,
              error_message = :errorMessage, error_category = :errorCategory, error_code = :errorCode,
              error_stack = :errorStack, updated_at = %NOW%
            where run_id = :runId and seq = :seq and attempt = :attempt and state = 'pending' and kind = 'activity'""";

    private static final String DELETE_JOURNAL = "delete from %PREFIX%journal where run_id = :id";

    private final StoreTemplate store;

    JdbcJournalDao(StoreTemplate store) {
        this.store = store;
    }

    List<JournalEntry> loadJournal(String runId) {
        return store.translated("load the journal of run '" + runId + "'", () -> store.jdbc().sql(store.resolve(SELECT_JOURNAL))
                .param("runId", runId)
                .query(store.values().journalMapper())
                .list());
    }

    Map<String, List<JournalEntry>> loadJournals(Collection<String> runIds) {
        Map<String, List<JournalEntry>> journals = new HashMap<>();
        runIds.forEach(id -> journals.put(id, new ArrayList<>()));
        RowMapper<JournalEntry> entries = store.values().journalMapper();
        for (List<String> chunk : StoreTemplate.chunks(runIds)) {
            store.translated("load the journals of " + chunk.size() + " runs", () -> {
                store.jdbc().sql(store.resolve(SELECT_JOURNALS)).param("ids", chunk).query(rs -> {
                    journals.get(rs.getString("run_id")).add(entries.mapRow(rs, rs.getRow()));
                });
                return null;
            });
        }
        return journals;
    }

    Optional<JournalEntry> findJournalEntry(String runId, long seq) {
        return store.translated("read entry " + seq + " of run '" + runId + "'", () -> store.jdbc()
                .sql(store.resolve(SELECT_JOURNAL_ENTRY))
                .param("runId", runId)
                .param("seq", seq)
                .query(store.values().journalMapper())
                .optional());
    }

    boolean resolvePending(String runId, long seq, int attempt, EntryState outcome, @Nullable String result,
            @Nullable FailureInfo failure) {
        if (outcome != EntryState.COMPLETED && outcome != EntryState.ATTEMPT_FAILED) {
            throw new IllegalArgumentException("a pending attempt resolves as completed or attempt_failed, not " + outcome);
        }
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("runId", runId).addValue("seq", seq)
                .addValue("attempt", attempt).addValue("state", JdbcValues.wireName(outcome));
        JdbcValues.text(params, "result", result);
        JdbcValues.failure(params, failure);
        return store.translated("resolve entry " + seq + " of run '" + runId + "'",
                () -> Boolean.TRUE.equals(store.transactions().execute(status -> {
                    if (store.jdbc().sql(store.resolve(FLAG_WAKE)).paramSource(params).update() == 0) {
                        return false;
                    }
                    if (store.jdbc().sql(store.resolve(RESOLVE_PENDING)).paramSource(params).update() == 0) {
                        // Nothing to adopt (unknown or spent token): the wake flag goes back with the transaction.
                        status.setRollbackOnly();
                        return false;
                    }
                    return true;
                })));
    }

    /** Within the caller's transaction: removes every entry of a run. */
    void deleteJournal(String runId) {
        store.jdbc().sql(store.resolve(DELETE_JOURNAL)).param("id", runId).update();
    }
}
