package dev.weft.store.jdbc;

import dev.weft.ConcurrencyLimit;
import dev.weft.QueuePosition;
import dev.weft.failure.StoreException;
import dev.weft.store.ConcurrencyGroup;
import dev.weft.store.LimitedStart;
import dev.weft.store.NewRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Concurrency limits of workflow starts: the {@code concurrency_slot} table holds one row per
 * (workflow type, concurrency key) with the limit in force and the next queue number. Every
 * decision that can make a run of a key occupy a slot (a start, an admission from the queue) takes
 * that row's lock first and counts the key's runs under it, so two nodes never both fill the last
 * slot; a run that ends frees its slot without the lock (it only lowers the count), and whoever
 * admits next sees it.
 */
final class JdbcConcurrencyDao {

    private static final String LOCK_SLOT = """
            select max_running, next_seq from %PREFIX%concurrency_slot
            where workflow_type = :type and concurrency_key = :key for update""";

    private static final String INSERT_SLOT = """
            insert into %PREFIX%concurrency_slot (workflow_type, concurrency_key, max_running, next_seq, created_at, updated_at)
            values (:type, :key, :limit, 1, %NOW%, %NOW%)""";

    private static final String UPDATE_SLOT = """
            update %PREFIX%concurrency_slot set max_running = :limit, next_seq = :nextSeq, updated_at = %NOW%
            where workflow_type = :type and concurrency_key = :key""";

    // A suspended run holds its slot: it runs again when resumed, without asking.
    private static final String COUNT_OCCUPYING = """
            select count(*) from %PREFIX%run
            where type = :type and concurrency_key = :key and status in ('running', 'suspended')""";

    private static final String COUNT_QUEUED = """
            select count(*) from %PREFIX%run where type = :type and concurrency_key = :key and status = 'queued'""";

    private static final String INSERT_STARTED_RUN = "insert into %PREFIX%run (" + JdbcRunDao.NEW_RUN_COLUMNS
            + ", concurrency_key)\nvalues (" + JdbcRunDao.NEW_RUN_VALUES + ", :key)";

    // Queued: no owner, no lease, epoch 0 (its first claim, after its admission, makes it 1).
    private static final String INSERT_QUEUED_RUN = "insert into %PREFIX%run (" + JdbcRunDao.NEW_RUN_COLUMNS
            + ", concurrency_key, queue_seq)\nvalues (:id, :type, 'queued', :input, null, 0, null, null, false, :createdAt, %NOW%,"
            + " :deadline, :version, :parentId, :parentSeq, :parentClosePolicy, :depth, :key, :queueSeq)";

    private static final String SELECT_NEXT_QUEUED = """
            select id from %PREFIX%run where type = :type and concurrency_key = :key and status = 'queued'
            order by queue_seq limit :free""";

    // Admitted runs are running and unowned: any node of the type claims them, as it adopts any unowned run.
    private static final String ADMIT = """
            update %PREFIX%run set status = 'running', owner = null, lease_expires_at = null, updated_at = %NOW%
            where id = :id and status = 'queued'""";

    private static final String QUEUED_GROUPS = """
            select distinct type, concurrency_key from %PREFIX%run where status = 'queued'""";

    private static final String QUEUE_POSITION = """
            select r.concurrency_key, r.created_at, s.max_running,
              (select count(*) from %PREFIX%run q
               where q.type = r.type and q.concurrency_key = r.concurrency_key and q.status = 'queued'
                 and q.queue_seq <= r.queue_seq) as position
            from %PREFIX%run r
            join %PREFIX%concurrency_slot s on s.workflow_type = r.type and s.concurrency_key = r.concurrency_key
            where r.id = :id and r.status = 'queued'""";

    private record Slot(int limit, long nextSeq) {
    }

    private final StoreTemplate store;

    JdbcConcurrencyDao(StoreTemplate store) {
        this.store = store;
    }

    LimitedStart start(NewRun run, ConcurrencyLimit limit) {
        for (int attempt = 1; ; attempt++) {
            try {
                return store.inTransaction("start run of '" + run.type() + "' under concurrency key '" + limit.key() + "'",
                        () -> decide(run, limit));
            } catch (StoreException e) {
                if (attempt == 2 || !(e.getCause() instanceof DuplicateKeyException)) {
                    throw e;
                }
                // Another node created the key's slot row first: locked on the second try.
            }
        }
    }

    /** Decides and writes the start inside the caller's transaction (a keyed start's, or {@link #start}'s). */
    LimitedStart decide(NewRun run, ConcurrencyLimit limit) {
        ConcurrencyGroup group = new ConcurrencyGroup(run.type(), limit.key());
        Slot slot = lockSlot(group).orElseGet(() -> {
            store.jdbc().sql(store.resolve(INSERT_SLOT)).paramSource(params(group).addValue("limit", limit.limit())).update();
            return lockSlot(group).orElseThrow();
        });
        long running = count(COUNT_OCCUPYING, group);
        long queued = count(COUNT_QUEUED, group);
        // The newest start's limit is the key's limit from now on.
        long nextSeq = slot.nextSeq();
        LimitedStart outcome;
        if (running + queued < limit.limit()) {
            store.jdbc().sql(store.resolve(INSERT_STARTED_RUN)).paramSource(store.values().newRun(run).addValue("key", limit.key()))
                    .update();
            outcome = new LimitedStart(LimitedStart.Outcome.STARTED, running, queued);
        } else if (limit.overLimit() == ConcurrencyLimit.OverLimit.REJECT) {
            // refused before anything is written: not even the limit changes
            return new LimitedStart(LimitedStart.Outcome.REFUSED, running, queued);
        } else {
            store.jdbc().sql(store.resolve(INSERT_QUEUED_RUN)).paramSource(store.values().newRun(run)
                    .addValue("key", limit.key()).addValue("queueSeq", nextSeq)).update();
            nextSeq++;
            outcome = new LimitedStart(LimitedStart.Outcome.QUEUED, running, queued);
        }
        store.jdbc().sql(store.resolve(UPDATE_SLOT)).paramSource(params(group).addValue("limit", limit.limit())
                .addValue("nextSeq", nextSeq)).update();
        return outcome;
    }

    /**
     * Moves the oldest queued runs of the group into its free slots, under the slot's lock; returns
     * their ids. Each is running and unowned after the commit.
     */
    List<String> admit(ConcurrencyGroup group) {
        return store.inTransaction("admit queued runs of '" + group.type() + "' under concurrency key '" + group.key() + "'", () -> {
            Optional<Slot> slot = lockSlot(group);
            if (slot.isEmpty()) {
                return List.of();
            }
            long free = slot.get().limit() - count(COUNT_OCCUPYING, group);
            if (free <= 0) {
                return List.of();
            }
            List<String> next = store.jdbc().sql(store.resolve(SELECT_NEXT_QUEUED)).paramSource(params(group).addValue("free", free))
                    .query(String.class).list();
            List<String> admitted = new ArrayList<>();
            for (String id : next) {
                // a run cancelled since it was read stays cancelled and frees its place for the next pass
                if (store.jdbc().sql(store.resolve(ADMIT)).param("id", id).update() == 1) {
                    admitted.add(id);
                }
            }
            return admitted;
        });
    }

    /** The groups that have queued runs. */
    List<ConcurrencyGroup> queuedGroups() {
        return store.translated("find the concurrency keys with queued runs", () -> store.jdbc().sql(store.resolve(QUEUED_GROUPS))
                .query((rs, row) -> new ConcurrencyGroup(rs.getString("type"), rs.getString("concurrency_key"))).list());
    }

    Optional<QueuePosition> position(String runId) {
        return store.translated("read the queue position of run '" + runId + "'", () -> store.jdbc()
                .sql(store.resolve(QUEUE_POSITION)).param("id", runId)
                .query((rs, row) -> new QueuePosition(rs.getString("concurrency_key"), rs.getLong("position"),
                        rs.getInt("max_running"), store.values().requiredInstant(rs, "created_at")))
                .optional());
    }

    private Optional<Slot> lockSlot(ConcurrencyGroup group) {
        return store.jdbc().sql(store.resolve(LOCK_SLOT)).paramSource(params(group))
                .query((rs, row) -> new Slot(rs.getInt("max_running"), rs.getLong("next_seq"))).optional();
    }

    private long count(String statement, ConcurrencyGroup group) {
        return store.jdbc().sql(store.resolve(statement)).paramSource(params(group)).query(Long.class).single();
    }

    private static MapSqlParameterSource params(ConcurrencyGroup group) {
        return new MapSqlParameterSource().addValue("type", group.type()).addValue("key", group.key());
    }
}
