package dev.weft.store.jdbc;

import dev.weft.ConcurrencyLimit;
import dev.weft.WorkflowStatus;
import dev.weft.failure.StoreException;
import dev.weft.store.KeyedStart;
import dev.weft.store.LimitedStart;
import dev.weft.store.NewRun;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;

/**
 * Starts with an idempotency key: the {@code start_key} table maps (workflow type, key digest) to
 * the run the key leads to. One transaction locks the key's row, then its run's, and decides; two
 * nodes that insert the same new key race on its primary key, and the loser's second try finds
 * the winner's run.
 */
final class JdbcStartKeyDao {

    private static final String LOCK_KEY = """
            select run_id from %PREFIX%start_key where workflow_type = :type and key_digest = :digest for update""";

    private static final String INSERT_KEY = """
            insert into %PREFIX%start_key (workflow_type, key_digest, run_id, created_at, updated_at)
            values (:type, :digest, :runId, %NOW%, %NOW%)""";

    private static final String MOVE_KEY = """
            update %PREFIX%start_key set run_id = :runId, updated_at = %NOW%
            where workflow_type = :type and key_digest = :digest""";

    private static final String LOCK_RUN_STATUS = "select status from %PREFIX%run where id = :runId for update";

    private static final String MARK_RESTARTED_FROM = "update %PREFIX%run set restarted_from = :from where id = :id";

    private final StoreTemplate store;
    private final JdbcConcurrencyDao concurrency;

    JdbcStartKeyDao(StoreTemplate store, JdbcConcurrencyDao concurrency) {
        this.store = store;
        this.concurrency = concurrency;
    }

    /** @param limit the concurrency limit the new run is created under, or {@code null} */
    KeyedStart start(NewRun run, String keyDigest, boolean restartIfEnded, @Nullable ConcurrencyLimit limit) {
        for (int attempt = 1; ; attempt++) {
            try {
                return store.inTransaction("start run of '" + run.type() + "' under an idempotency key",
                        () -> decide(run, keyDigest, restartIfEnded, limit));
            } catch (StoreException e) {
                if (attempt == 2 || !(e.getCause() instanceof DuplicateKeyException)) {
                    throw e;
                }
                // Another node inserted the same key (or the limit's slot row) first: its run is the key's now.
            }
        }
    }

    private KeyedStart decide(NewRun run, String keyDigest, boolean restartIfEnded, @Nullable ConcurrencyLimit limit) {
        Optional<String> keyed = store.jdbc().sql(store.resolve(LOCK_KEY)).param("type", run.type()).param("digest", keyDigest)
                .query(String.class).optional();
        if (keyed.isEmpty()) {
            // the run first: a refusal of its limit must leave the key unwritten
            LimitedStart limited = insertRun(run, limit);
            if (limited != null && limited.outcome() == LimitedStart.Outcome.REFUSED) {
                return KeyedStart.refused(run.id(), limited);
            }
            store.jdbc().sql(store.resolve(INSERT_KEY)).param("type", run.type()).param("digest", keyDigest)
                    .param("runId", run.id()).update();
            return KeyedStart.createdRun(run.id(), null, limited);
        }
        String existing = keyed.get();
        Optional<WorkflowStatus> status = store.jdbc().sql(store.resolve(LOCK_RUN_STATUS)).param("runId", existing)
                .query(String.class).optional().map(WorkflowStatus::fromWireName);
        if (status.isPresent() && !status.get().isTerminal()) {
            return KeyedStart.existingRun(existing);
        }
        if (status.isPresent() && !restartIfEnded) {
            return KeyedStart.endedRun(existing, status.get());
        }
        // The key's run has ended (and a new one is asked for), or was deleted: the key leads to a new run.
        LimitedStart limited = insertRun(run, limit);
        if (limited != null && limited.outcome() == LimitedStart.Outcome.REFUSED) {
            return KeyedStart.refused(run.id(), limited);
        }
        store.jdbc().sql(store.resolve(MOVE_KEY)).param("type", run.type()).param("digest", keyDigest)
                .param("runId", run.id()).update();
        String restartedFrom = status.isPresent() ? existing : null;
        if (restartedFrom != null) {
            store.jdbc().sql(store.resolve(MARK_RESTARTED_FROM)).param("from", restartedFrom).param("id", run.id()).update();
        }
        return KeyedStart.createdRun(run.id(), restartedFrom, limited);
    }

    /** Inserts the run, under its limit when it has one (whose decision is returned, else {@code null}). */
    private @Nullable LimitedStart insertRun(NewRun run, @Nullable ConcurrencyLimit limit) {
        if (limit != null) {
            return concurrency.decide(run, limit);
        }
        store.jdbc().sql(store.resolve(JdbcRunDao.INSERT_RUN)).paramSource(store.values().newRun(run)).update();
        return null;
    }
}
