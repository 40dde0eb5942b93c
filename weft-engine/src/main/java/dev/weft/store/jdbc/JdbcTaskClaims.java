package dev.weft.store.jdbc;

import dev.weft.store.ClaimedTask;
import dev.weft.store.QueueSettings;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * Claims of queued tasks. A claim locks the tasks it takes (skipping those another claimer holds),
 * gives each a token of its own and an expiry, and, for a queue with cluster-wide limits, first
 * locks the queue's row: every node's claims of that queue then take turns, and each counts what
 * is in flight and what the rate allows against the database, never against its own memory.
 */
final class JdbcTaskClaims {

    static final String READY = "(claim_expires_ms is null or claim_expires_ms <= :now)";

    // whether a claim would find anything, without locking: most polls of an idle queue find nothing
    private static final String ANY_READY = "select id from %PREFIX%task where queue = :queue and " + READY + "%ACTIVITIES% limit 1";

    // a claim on behalf of remote workers takes only the tasks of activities they registered
    static final String ACTIVITY_FILTER = " and activity in (:activities)";

    private static final String SETTINGS = """
            select paused, max_in_flight, rate_limit, rate_period_ms, fair, tokens, tokens_at_ms, fair_cursor
            from %PREFIX%task_queue where name = :queue""";

    private static final String LOCK_SETTINGS = SETTINGS + " for update";

    private static final String IN_FLIGHT = """
            select count(*) from %PREFIX%task where queue = :queue and claim_expires_ms > :now""";

    private static final String LOCK_IN_ORDER = "select id from %PREFIX%task where queue = :queue and " + READY
            + "%ACTIVITIES%\norder by priority desc, id\nlimit :limit%SKIP_LOCKED%";

    // Each fairness key's tasks numbered by turn (its first task, its second, ...): ordered by turn
    // within a priority, and by key in a round that starts after the key claimed last (the queue's
    // cursor), the keys take turns across claims as within one. A window function cannot lock, so
    // the rows it picks are locked by the statement after it.
    private static final String FAIR_ORDER = """
            select id, fair_key from (
              select id, priority, coalesce(fairness_key, '') as fair_key,
                row_number() over (partition by fairness_key order by priority desc, id) as turn
              from %PREFIX%task where queue = :queue and %READY%%ACTIVITIES%
            ) ranked
            order by priority desc, turn, case when fair_key > :cursor then 0 else 1 end, fair_key, id
            limit :limit""".replace("%READY%", READY);

    private static final String MOVE_CURSOR = "update %PREFIX%task_queue set fair_cursor = :cursor where name = :queue";

    private static final String LOCK_IDS = "select id from %PREFIX%task where id in (:ids) and " + READY + "%SKIP_LOCKED%";

    private static final String RUN_OF_TASKS = "select id, run_id from %PREFIX%task where id in (:ids)";

    private static final String RUN_STATES = "select id, status, cancel_requested from %PREFIX%run where id in (:ids)";

    private static final String TAKE = """
            update %PREFIX%task set claim_token = :token, claimed_by = :node,
              claim_expires_ms = :now + visibility_timeout_ms, claims = claims + 1
            where id = :id""";

    static final String CLAIMED_COLUMNS = """
            select id, run_id, seq, attempt, queue, activity, input, visibility_timeout_ms, enqueued_ms,
              claim_token, claims, claim_expires_ms
            from %PREFIX%task""";

    private static final String CLAIMED = CLAIMED_COLUMNS + " where id in (:ids)";

    private static final String DELETE_IDS = "delete from %PREFIX%task where id in (:ids)";

    private static final String SPEND_TOKENS = """
            update %PREFIX%task_queue set tokens = :tokens, tokens_at_ms = :now where name = :queue""";

    private static final String UNCLAIM_IDS = """
            update %PREFIX%task set claim_token = null, claimed_by = null, claim_expires_ms = null, claims = claims - 1
            where id in (:ids)""";

    private final StoreTemplate store;
    /** PostgreSQL's one-statement claim of a plain queue; {@code null} on other databases. */
    private final @Nullable PostgresTaskStatements postgres;

    JdbcTaskClaims(StoreTemplate store, @Nullable PostgresTaskStatements postgres) {
        this.store = store;
        this.postgres = postgres;
    }

    /** @param activities only tasks of these activities, or {@code null} for any */
    List<ClaimedTask> claim(String queue, String node, int max, Instant now, @Nullable Collection<String> activities) {
        if (max < 1 || (activities != null && activities.isEmpty())) {
            return List.of();
        }
        long nowMs = now.toEpochMilli();
        if (postgres != null) {
            // one statement for a busy plain queue; when it takes nothing, the queue's row says whether it is plain
            List<ClaimedTask> taken = settled(postgres.claim(queue, node, max, nowMs, activities));
            QueueSettings settings = taken.isEmpty()
                    ? store.translated("read the settings of queue '" + queue + "'", () -> settings(SETTINGS, queue))
                            .orElse(QueueRow.UNSET).settings()
                    : QueueSettings.NONE;
            if (!settings.limited() && !settings.fair()) {
                return taken;
            }
        }
        boolean any = store.translated("look for tasks of queue '" + queue + "'", () -> !withActivities(
                store.jdbc().sql(store.resolve(filtered(ANY_READY, activities))), activities).param("queue", queue)
                .param("now", nowMs).query((rs, row) -> rs.getLong(1)).list().isEmpty());
        if (!any) {
            return List.of();
        }
        return store.inTransaction("claim tasks of queue '" + queue + "' for node '" + node + "'",
                () -> claimInTransaction(queue, node, max, nowMs, activities));
    }

    static String filtered(String statement, @Nullable Collection<String> activities) {
        return statement.replace("%ACTIVITIES%", activities == null ? "" : ACTIVITY_FILTER);
    }

    private static StatementSpec withActivities(StatementSpec statement, @Nullable Collection<String> activities) {
        return activities == null ? statement : statement.param("activities", List.copyOf(activities));
    }

    private List<ClaimedTask> claimInTransaction(String queue, String node, int max, long nowMs,
            @Nullable Collection<String> activities) {
        Optional<QueueRow> settings = settings(SETTINGS, queue);
        if (settings.isPresent() && (settings.get().settings().limited() || settings.get().settings().fair())) {
            // read again under the row's lock: claims of a limited or fair queue take turns across nodes
            settings = settings(LOCK_SETTINGS, queue);
        }
        QueueRow row = settings.orElse(QueueRow.UNSET);
        if (row.paused()) {
            return List.of();
        }
        int allowed = max;
        QueueSettings limits = row.settings();
        if (limits.maxInFlight() != null) {
            long inFlight = store.jdbc().sql(store.resolve(IN_FLIGHT)).param("queue", queue).param("now", nowMs)
                    .query(Long.class).single();
            allowed = (int) Math.min(allowed, Math.max(0, limits.maxInFlight() - inFlight));
        }
        double tokens = row.tokensAt(nowMs);
        if (limits.rateLimit() != null) {
            allowed = (int) Math.min(allowed, Math.floor(tokens));
        }
        if (allowed < 1) {
            return List.of();
        }
        List<Long> ids = lockReady(queue, allowed, nowMs, limits.fair() ? row.fairCursor() : null, activities);
        ids = withoutTasksOfStoppedRuns(ids);
        if (ids.isEmpty()) {
            return List.of();
        }
        List<SqlParameterSource> takes = new ArrayList<>();
        for (Long id : ids) {
            takes.add(new MapSqlParameterSource().addValue("id", id).addValue("node", node).addValue("now", nowMs)
                    .addValue("token", UUID.randomUUID().toString()));
        }
        store.batch().batchUpdate(store.resolve(TAKE), takes.toArray(SqlParameterSource[]::new));
        if (limits.rateLimit() != null) {
            store.jdbc().sql(store.resolve(SPEND_TOKENS)).param("queue", queue).param("now", nowMs)
                    .param("tokens", tokens - ids.size()).update();
        }
        return claimed(ids);
    }

    /**
     * Locks up to {@code limit} ready tasks in claim order: priority, then age; in a fair queue
     * (with the key claimed last as {@code fairCursor}), priority, then turn, then key, then age.
     */
    private List<Long> lockReady(String queue, int limit, long nowMs, @Nullable String fairCursor,
            @Nullable Collection<String> activities) {
        if (fairCursor == null) {
            return withActivities(store.jdbc().sql(store.resolve(filtered(LOCK_IN_ORDER, activities))), activities)
                    .param("queue", queue).param("now", nowMs).param("limit", limit).query(Long.class).list();
        }
        Map<Long, String> keys = new LinkedHashMap<>();
        withActivities(store.jdbc().sql(store.resolve(filtered(FAIR_ORDER, activities))), activities).param("queue", queue)
                .param("now", nowMs).param("cursor", fairCursor)
                .param("limit", limit).query(rs -> {
                    keys.put(rs.getLong("id"), rs.getString("fair_key"));
                });
        if (keys.isEmpty()) {
            return List.of();
        }
        Set<Long> locked = new HashSet<>(store.jdbc().sql(store.resolve(LOCK_IDS)).param("ids", List.copyOf(keys.keySet()))
                .param("now", nowMs).query(Long.class).list());
        List<Long> ids = keys.keySet().stream().filter(locked::contains).toList();
        if (!ids.isEmpty()) {
            store.jdbc().sql(store.resolve(MOVE_CURSOR)).param("queue", queue).param("cursor", keys.get(ids.getLast())).update();
        }
        return ids;
    }

    /**
     * The tasks among {@code ids} whose run is running and not being cancelled. Tasks of runs that
     * ended are removed here (their outcome has nobody to go to); those of runs being cancelled wait,
     * to be removed when the run ends.
     */
    private List<Long> withoutTasksOfStoppedRuns(List<Long> ids) {
        if (ids.isEmpty()) {
            return ids;
        }
        Map<Long, String> runOf = new HashMap<>();
        store.jdbc().sql(store.resolve(RUN_OF_TASKS)).param("ids", ids).query(rs -> {
            runOf.put(rs.getLong("id"), rs.getString("run_id"));
        });
        Set<String> running = new HashSet<>();
        Set<String> cancelling = new HashSet<>();
        store.jdbc().sql(store.resolve(RUN_STATES)).param("ids", List.copyOf(new HashSet<>(runOf.values()))).query(rs -> {
            if ("running".equals(rs.getString("status"))) {
                (rs.getBoolean("cancel_requested") ? cancelling : running).add(rs.getString("id"));
            }
        });
        List<Long> orphans = ids.stream()
                .filter(id -> !running.contains(runOf.get(id)) && !cancelling.contains(runOf.get(id))).toList();
        if (!orphans.isEmpty()) {
            store.jdbc().sql(store.resolve(DELETE_IDS)).param("ids", orphans).update();
        }
        return ids.stream().filter(id -> running.contains(runOf.get(id))).toList();
    }

    /**
     * The tasks of a one-statement claim that may run: those of runs that ended are removed, and
     * those of runs being cancelled are given back unclaimed (rare: both are left behind by a run's end).
     */
    private List<ClaimedTask> settled(List<PostgresTaskStatements.Taken> taken) {
        List<Long> orphans = taken.stream().filter(t -> !t.runRunning()).map(PostgresTaskStatements.Taken::id).toList();
        List<Long> cancelling = taken.stream().filter(t -> t.runRunning() && t.runCancelling())
                .map(PostgresTaskStatements.Taken::id).toList();
        if (!orphans.isEmpty() || !cancelling.isEmpty()) {
            store.inTransaction("set aside the tasks of stopped runs", () -> {
                if (!orphans.isEmpty()) {
                    store.jdbc().sql(store.resolve(DELETE_IDS)).param("ids", orphans).update();
                }
                if (!cancelling.isEmpty()) {
                    store.jdbc().sql(store.resolve(UNCLAIM_IDS)).param("ids", cancelling).update();
                }
                return true;
            });
        }
        return taken.stream().filter(t -> t.runRunning() && !t.runCancelling()).map(PostgresTaskStatements.Taken::task).toList();
    }

    private List<ClaimedTask> claimed(List<Long> ids) {
        List<ClaimedTask> tasks = new ArrayList<>();
        Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            position.put(ids.get(i), i);
        }
        List<Map.Entry<Long, ClaimedTask>> found = store.jdbc().sql(store.resolve(CLAIMED)).param("ids", ids)
                .query((rs, row) -> Map.entry(rs.getLong("id"), readClaimed(rs))).list();
        found.stream().sorted(Comparator.comparing(entry -> position.get(entry.getKey()))).forEach(entry -> tasks.add(entry.getValue()));
        return tasks;
    }

    /** A claimed task from a row of {@link #CLAIMED}'s columns. */
    static ClaimedTask readClaimed(ResultSet rs) throws SQLException {
        return new ClaimedTask(rs.getString("run_id"), rs.getLong("seq"), rs.getInt("attempt"), rs.getString("queue"),
                rs.getString("activity"), rs.getString("input"), rs.getString("claim_token"), rs.getInt("claims"),
                Duration.ofMillis(rs.getLong("visibility_timeout_ms")), Instant.ofEpochMilli(rs.getLong("enqueued_ms")),
                Instant.ofEpochMilli(rs.getLong("claim_expires_ms")));
    }

    private Optional<QueueRow> settings(String statement, String queue) {
        return store.jdbc().sql(store.resolve(statement)).param("queue", queue).query((rs, row) -> QueueRow.read(rs)).optional();
    }

    /** A queue's row: its settings, whether it is paused, and its rate bucket. */
    record QueueRow(QueueSettings settings, boolean paused, @Nullable Double tokens, @Nullable Long tokensAtMs,
            @Nullable String cursor) {

        static final QueueRow UNSET = new QueueRow(QueueSettings.NONE, false, null, null, null);

        /** Where the next round of fairness keys starts: after the key claimed last ('' before any claim). */
        String fairCursor() {
            return cursor == null ? "" : cursor;
        }

        static QueueRow read(ResultSet rs) throws SQLException {
            Long periodMs = rs.getObject("rate_period_ms", Long.class);
            QueueSettings settings = new QueueSettings(rs.getObject("max_in_flight", Integer.class),
                    rs.getObject("rate_limit", Integer.class), periodMs == null ? null : Duration.ofMillis(periodMs),
                    rs.getBoolean("fair"));
            return new QueueRow(settings, rs.getBoolean("paused"), rs.getObject("tokens", Double.class),
                    rs.getObject("tokens_at_ms", Long.class), rs.getString("fair_cursor"));
        }

        /**
         * The rate bucket's tokens at {@code nowMs}: full at first, spent by one per claimed task,
         * refilled at the rate, never above the limit (so a burst is at most one period's worth).
         */
        double tokensAt(long nowMs) {
            Integer limit = settings.rateLimit();
            if (limit == null) {
                return Double.MAX_VALUE;
            }
            if (tokens == null || tokensAtMs == null) {
                return limit;
            }
            double refill = Math.max(0, nowMs - tokensAtMs) * (double) limit / settings.ratePeriod().toMillis();
            return Math.min(limit, tokens + refill);
        }
    }
}
