package dev.weft.store.jdbc;

import dev.weft.failure.StoreException;
import dev.weft.store.ClaimedTask;
import dev.weft.store.QueueSettings;
import dev.weft.store.QueueState;
import dev.weft.store.TaskOutcome;
import dev.weft.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * The task and queue tables: claims (see {@link JdbcTaskClaims}), outcomes written under a claim,
 * claim extensions, queue settings and pauses, and what a queue holds.
 */
final class JdbcTaskStore implements TaskStore {

    // The run row first, as a commit batch locks it, so that the two never wait on each other in a cycle.
    private static final String WAKE_RUN = """
            update %PREFIX%run set wake_requested = true, wake_at = null, updated_at = %NOW%
            where id = :runId and status = 'running'""";

    private static final String REMOVE_CLAIMED = """
            delete from %PREFIX%task where run_id = :runId and seq = :seq and claim_token = :token""";

    private static final String ADOPT_OUTCOME = """
            update %PREFIX%journal set state = :state, result = :result, error_type = :errorType,
              error_message = :errorMessage, error_category = :errorCategory, error_code = :errorCode,
              error_stack = :errorStack, updated_at = %NOW%
            where run_id = :runId and seq = :seq and attempt = :attempt and state = 'queued' and kind = 'activity'""";

    // in token order, as every other transaction that locks a node's claimed tasks locks them
    private static final String LOCK_HELD = """
            select claim_token from %PREFIX%task where claim_token in (:tokens) order by claim_token for update""";

    private static final String REMOVE_HELD = "delete from %PREFIX%task where claim_token in (:tokens)";

    private static final String EXTEND = "update %PREFIX%task set claim_expires_ms = :expires where claim_token = :token";

    private static final String STILL_HELD = """
            select t.claim_token from %PREFIX%task t join %PREFIX%run r on r.id = t.run_id
            where t.claim_token in (:tokens) and r.status = 'running' and r.cancel_requested = false""";

    private static final String RELEASE = """
            update %PREFIX%task set claim_token = null, claim_expires_ms = :now where claim_token in (:tokens)""";

    private static final String BY_TOKEN = JdbcTaskClaims.CLAIMED_COLUMNS + " where claim_token = :token";

    private static final String UPDATE_SETTINGS = """
            update %PREFIX%task_queue set max_in_flight = :maxInFlight, rate_limit = :rateLimit,
              rate_period_ms = :ratePeriodMs, fair = :fair
            where name = :queue""";

    private static final String INSERT_SETTINGS = """
            insert into %PREFIX%task_queue (name, paused, max_in_flight, rate_limit, rate_period_ms, fair)
            values (:queue, :paused, :maxInFlight, :rateLimit, :ratePeriodMs, :fair)""";

    private static final String QUEUE_EXISTS = "select count(*) from %PREFIX%task_queue where name = :queue";

    private static final String UPDATE_PAUSED = "update %PREFIX%task_queue set paused = :paused where name = :queue";

    private static final String ALL_SETTINGS = "select name, " + """
            paused, max_in_flight, rate_limit, rate_period_ms, fair, tokens, tokens_at_ms, fair_cursor from %PREFIX%task_queue""";

    private static final String COUNTS = """
            select queue,
              sum(case when %READY% then 1 else 0 end) as depth,
              sum(case when %READY% then 0 else 1 end) as in_flight,
              min(case when %READY% then enqueued_ms end) as oldest_ms,
              sum(case when claims > 0 and claim_expires_ms <= :now then 1 else 0 end) as expired
            from %PREFIX%task group by queue""".replace("%READY%", JdbcTaskClaims.READY);

    private static final String REMOVE_ORPHANS = """
            delete from %PREFIX%task
            where not exists (select 1 from %PREFIX%run r where r.id = %PREFIX%task.run_id and r.status = 'running')""";

    private final StoreTemplate store;
    private final JdbcTaskClaims claims;
    private final JdbcWakeChannel channel;
    /** PostgreSQL's one-statement forms of the hot path; {@code null} on other databases. */
    private final @Nullable PostgresTaskStatements postgres;

    JdbcTaskStore(StoreTemplate store, JdbcWakeChannel channel) {
        this.store = store;
        this.postgres = store.sql().dialect() == JdbcDialect.POSTGRESQL ? new PostgresTaskStatements(store) : null;
        this.claims = new JdbcTaskClaims(store, postgres);
        this.channel = channel;
    }

    @Override
    public List<ClaimedTask> claim(String queue, String node, int max, Instant now, @Nullable Collection<String> activities) {
        return claims.claim(queue, node, max, now, activities);
    }

    @Override
    public void release(Collection<String> claimTokens, Instant now) {
        if (claimTokens.isEmpty()) {
            return;
        }
        store.inTransaction("release " + claimTokens.size() + " task claims", () -> {
            int released = 0;
            for (List<String> chunk : StoreTemplate.chunks(List.copyOf(claimTokens))) {
                released += store.jdbc().sql(store.resolve(RELEASE)).param("tokens", chunk).param("now", now.toEpochMilli()).update();
            }
            return released;
        });
    }

    @Override
    public Optional<ClaimedTask> claimed(String claimToken) {
        return store.translated("find the task of a claim", () -> store.jdbc().sql(store.resolve(BY_TOKEN))
                .param("token", claimToken).query((rs, row) -> JdbcTaskClaims.readClaimed(rs)).optional());
    }

    @Override
    public boolean complete(TaskOutcome outcome) {
        ClaimedTask task = outcome.task();
        MapSqlParameterSource params = outcomeParams(outcome);
        if (postgres != null) {
            return postgres.complete(params);
        }
        try {
            return store.inTransaction("write the outcome of task " + task.seq() + " of run '" + task.runId() + "'", () -> {
                store.jdbc().sql(store.resolve(WAKE_RUN)).paramSource(params).update();
                if (store.jdbc().sql(store.resolve(REMOVE_CLAIMED)).paramSource(params).update() == 0) {
                    // another claim holds the task now, or its run ended: the wake flag goes back too
                    throw new ClaimLost();
                }
                store.jdbc().sql(store.resolve(ADOPT_OUTCOME)).paramSource(params).update();
                return true;
            });
        } catch (ClaimLost lost) {
            return false;
        }
    }

    @Override
    public List<Boolean> completeAll(List<TaskOutcome> outcomes) {
        if (outcomes.size() == 1) {
            return List.of(complete(outcomes.getFirst()));
        }
        if (postgres != null) {
            Set<String> written = postgres.completeAll(outcomes);
            return outcomes.stream().map(outcome -> written.contains(outcome.task().claimToken())).toList();
        }
        List<String> tokens = outcomes.stream().map(outcome -> outcome.task().claimToken()).sorted().toList();
        Set<String> held = new HashSet<>();
        store.inTransaction("write the outcomes of " + outcomes.size() + " tasks", () -> {
            held.clear();
            for (List<String> chunk : StoreTemplate.chunks(tokens)) {
                held.addAll(store.jdbc().sql(store.resolve(LOCK_HELD)).param("tokens", chunk).query(String.class).list());
            }
            if (held.isEmpty()) {
                return true;
            }
            for (List<String> chunk : StoreTemplate.chunks(held)) {
                store.jdbc().sql(store.resolve(REMOVE_HELD)).param("tokens", chunk).update();
            }
            List<TaskOutcome> written = outcomes.stream().filter(outcome -> held.contains(outcome.task().claimToken())).toList();
            store.batch().batchUpdate(store.resolve(WAKE_RUN), written.stream().map(outcome -> outcome.task().runId()).distinct()
                    .sorted().map(runId -> new MapSqlParameterSource("runId", runId)).toArray(SqlParameterSource[]::new));
            store.batch().batchUpdate(store.resolve(ADOPT_OUTCOME), written.stream().map(JdbcTaskStore::outcomeParams)
                    .toArray(SqlParameterSource[]::new));
            return true;
        });
        return outcomes.stream().map(outcome -> held.contains(outcome.task().claimToken())).toList();
    }

    private static MapSqlParameterSource outcomeParams(TaskOutcome outcome) {
        ClaimedTask task = outcome.task();
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("runId", task.runId()).addValue("seq", task.seq())
                .addValue("attempt", task.attempt()).addValue("token", task.claimToken())
                .addValue("state", JdbcValues.wireName(outcome.state()));
        JdbcValues.text(params, "result", outcome.resultJson());
        return JdbcValues.failure(params, outcome.failure());
    }

    @Override
    public Set<String> extend(Collection<ClaimedTask> claimed, Instant now) {
        if (claimed.isEmpty()) {
            return Set.of();
        }
        List<String> tokens = claimed.stream().map(ClaimedTask::claimToken).toList();
        SqlParameterSource[] extensions = claimed.stream().sorted(Comparator.comparing(ClaimedTask::claimToken))
                .map(task -> new MapSqlParameterSource().addValue("token", task.claimToken())
                        .addValue("expires", now.plus(task.visibilityTimeout()).toEpochMilli()))
                .toArray(SqlParameterSource[]::new);
        Set<String> held = new HashSet<>();
        store.inTransaction("extend " + tokens.size() + " task claims", () -> {
            store.batch().batchUpdate(store.resolve(EXTEND), extensions);
            for (List<String> chunk : StoreTemplate.chunks(tokens)) {
                held.addAll(store.jdbc().sql(store.resolve(STILL_HELD)).param("tokens", chunk).query(String.class).list());
            }
            return held;
        });
        Set<String> lost = new HashSet<>(tokens);
        lost.removeAll(held);
        return lost;
    }

    @Override
    public void configure(String queue, QueueSettings settings) {
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("queue", queue).addValue("paused", false)
                .addValue("maxInFlight", settings.maxInFlight()).addValue("rateLimit", settings.rateLimit())
                .addValue("ratePeriodMs", settings.ratePeriod() == null ? null : settings.ratePeriod().toMillis())
                .addValue("fair", settings.fair());
        upsert("set the settings of queue '" + queue + "'", UPDATE_SETTINGS, params);
    }

    @Override
    public void declare(String queue) {
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("queue", queue).addValue("paused", false)
                .addValue("maxInFlight", null).addValue("rateLimit", null).addValue("ratePeriodMs", null).addValue("fair", false);
        try {
            store.inTransaction("declare queue '" + queue + "'", () -> {
                if (store.jdbc().sql(store.resolve(QUEUE_EXISTS)).param("queue", queue).query(Integer.class).single() > 0) {
                    return false;
                }
                store.jdbc().sql(store.resolve(INSERT_SETTINGS)).paramSource(params).update();
                return true;
            });
        } catch (StoreException e) {
            if (!(e.getCause() instanceof DuplicateKeyException)) {
                throw e;
            }
            // another node declared it meanwhile: it has its row
        }
    }

    @Override
    public void setPaused(String queue, boolean paused) {
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("queue", queue).addValue("paused", paused)
                .addValue("maxInFlight", null).addValue("rateLimit", null).addValue("ratePeriodMs", null)
                .addValue("fair", false);
        upsert((paused ? "pause" : "resume") + " queue '" + queue + "'", UPDATE_PAUSED, params);
    }

    /** Updates the queue's row, or creates it when there is none yet (again as an update when another node just did). */
    private void upsert(String what, String update, MapSqlParameterSource params) {
        store.inTransaction(what, () -> {
            if (store.jdbc().sql(store.resolve(update)).paramSource(params).update() > 0) {
                return true;
            }
            try {
                store.jdbc().sql(store.resolve(INSERT_SETTINGS)).paramSource(params).update();
            } catch (DuplicateKeyException raced) {
                store.jdbc().sql(store.resolve(update)).paramSource(params).update();
            }
            return true;
        });
    }

    @Override
    public List<QueueState> queues(Instant now) {
        long nowMs = now.toEpochMilli();
        Map<String, JdbcTaskClaims.QueueRow> settings = new LinkedHashMap<>();
        Map<String, QueueState> states = new LinkedHashMap<>();
        store.translated("read the task queues", () -> {
            store.jdbc().sql(store.resolve(ALL_SETTINGS)).query(rs -> {
                settings.put(rs.getString("name"), JdbcTaskClaims.QueueRow.read(rs));
            });
            store.jdbc().sql(store.resolve(COUNTS)).param("now", nowMs).query(rs -> {
                String queue = rs.getString("queue");
                JdbcTaskClaims.QueueRow row = settings.getOrDefault(queue, JdbcTaskClaims.QueueRow.UNSET);
                Long oldest = rs.getObject("oldest_ms", Long.class);
                states.put(queue, new QueueState(queue, row.paused(), row.settings(), rs.getLong("depth"), rs.getLong("in_flight"),
                        oldest == null ? null : Duration.ofMillis(Math.max(0, nowMs - oldest)), rs.getLong("expired")));
            });
            return null;
        });
        settings.forEach((queue, row) -> states.putIfAbsent(queue, new QueueState(queue, row.paused(), row.settings(), 0, 0, null, 0)));
        List<QueueState> all = new ArrayList<>(states.values());
        all.sort((a, b) -> a.name().compareTo(b.name()));
        return all;
    }

    @Override
    public int removeOrphans() {
        return store.inTransaction("remove the tasks of ended runs", () -> store.jdbc().sql(store.resolve(REMOVE_ORPHANS)).update());
    }

    @Override
    public void announce(String queue) {
        channel.announce(queue);
    }

    @Override
    public @Nullable AutoCloseable listen(Consumer<String> onQueue) {
        return channel.listen(onQueue);
    }

    /** Rolls back an outcome whose claim is gone; answered as {@code false}. */
    private static final class ClaimLost extends RuntimeException {
        ClaimLost() {
            super(null, null, false, false);
        }
    }
}
