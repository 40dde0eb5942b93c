package dev.weft.store.jdbc;

import dev.weft.WorkflowStatus;
import dev.weft.failure.StoreException;
import dev.weft.store.NewRun;
import dev.weft.store.NewSignal;
import dev.weft.store.PendingSignal;
import dev.weft.store.SignalDelivery;
import dev.weft.store.SignalWithStart;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * The signal table: storing a signal for a run (with the wake-up of the run in the same
 * transaction), signal-with-start, and reading a run's next unconsumed signal. Signals are
 * consumed by the group commit.
 */
final class JdbcSignalDao {

    private static final String LOCK_RUN_STATUS = "select status from %PREFIX%run where id = :runId for update";

    private static final String COUNT_SIGNAL_ID = """
            select count(*) from %PREFIX%signal where run_id = :runId and signal_id = :signalId""";

    private static final String INSERT_SIGNAL = """
            insert into %PREFIX%signal (run_id, name, payload, signal_id, created_at)
            values (:runId, :name, :payload, :signalId, :sentAt)""";

    private static final String WAKE_FOR_SIGNAL = """
            update %PREFIX%run set wake_requested = true, wake_at = null, updated_at = %NOW% where id = :runId""";

    private static final String NEXT_SIGNAL = """
            select id, name, payload from %PREFIX%signal
            where run_id = :runId and name = :name and consumed_seq is null
            order by id limit 1""";

    private final StoreTemplate store;

    JdbcSignalDao(StoreTemplate store) {
        this.store = store;
    }

    SignalDelivery sendSignal(NewSignal signal) {
        return store.inTransaction("signal run '" + signal.runId() + "'", () -> deliver(signal));
    }

    /** Within a transaction: locks the run row, so concurrent sends of one signal id take turns. */
    private SignalDelivery deliver(NewSignal signal) {
        Optional<String> status = store.jdbc().sql(store.resolve(LOCK_RUN_STATUS)).param("runId", signal.runId())
                .query(String.class).optional();
        if (status.isEmpty()) {
            return SignalDelivery.NOT_FOUND;
        }
        // A duplicate is acknowledged even when the run has ended since: the sender's retry of a
        // signal that was taken (and perhaps ended the run) must not read as a refusal.
        if (signal.signalId() != null && store.jdbc().sql(store.resolve(COUNT_SIGNAL_ID)).param("runId", signal.runId())
                .param("signalId", signal.signalId()).query(Long.class).single() > 0) {
            return SignalDelivery.DUPLICATE;
        }
        if (WorkflowStatus.fromWireName(status.get()).isTerminal()) {
            // a suspended run keeps its signals for when it is resumed
            return SignalDelivery.RUN_FINISHED;
        }
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("runId", signal.runId())
                .addValue("name", signal.name());
        JdbcValues.text(params, "payload", signal.payload());
        JdbcValues.text(params, "signalId", signal.signalId());
        store.values().instant(params, "sentAt", signal.sentAt());
        store.jdbc().sql(store.resolve(INSERT_SIGNAL)).paramSource(params).update();
        store.jdbc().sql(store.resolve(WAKE_FOR_SIGNAL)).param("runId", signal.runId()).update();
        return SignalDelivery.DELIVERED;
    }

    SignalWithStart signalWithStart(NewRun run, NewSignal signal) {
        // Two callers may both find no run and both insert it: the loser's duplicate key rolls its
        // transaction back, and its second try finds the run and signals it.
        for (int attempt = 1; ; attempt++) {
            try {
                return store.inTransaction("signal-with-start run '" + run.id() + "'", () -> {
                    boolean exists = store.jdbc().sql(store.resolve(LOCK_RUN_STATUS)).param("runId", run.id())
                            .query(String.class).optional().isPresent();
                    if (!exists) {
                        store.jdbc().sql(store.resolve(JdbcRunDao.INSERT_RUN)).paramSource(store.values().newRun(run)).update();
                    }
                    return new SignalWithStart(!exists, deliver(signal));
                });
            } catch (StoreException e) {
                if (attempt == 2 || !(e.getCause() instanceof DuplicateKeyException)) {
                    throw e;
                }
            }
        }
    }

    Optional<PendingSignal> nextSignal(String runId, String name) {
        return store.translated("read the next '" + name + "' signal of run '" + runId + "'", () -> store.jdbc()
                .sql(store.resolve(NEXT_SIGNAL))
                .param("runId", runId)
                .param("name", name)
                .query((rs, row) -> new PendingSignal(rs.getLong("id"), rs.getString("name"), rs.getString("payload")))
                .optional());
    }
}
