package dev.weft.store.jdbc;

import dev.weft.store.ClaimedTask;
import dev.weft.store.TaskOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * The claim of a plain queue and the outcome of a task, each one statement on PostgreSQL, as a
 * transaction of its own: what the portable path does in a transaction of several statements,
 * for one round trip. Used for the hot path only; a queue with limits, fairness or a pause goes the
 * portable way.
 */
final class PostgresTaskStatements {

    /** A task the claim took, with where its run stands. */
    record Taken(ClaimedTask task, long id, int priority, boolean runRunning, boolean runCancelling) {
    }

    // The locked rows are taken in one update; the run's state rides along, read in the same snapshot.
    // A queue with a row that pauses, limits or makes it fair takes nothing here: the portable claim,
    // which takes the row's lock, is for those.
    private static final String CLAIM = """
            with picked as (
              select id from %PREFIX%task where queue = :queue and %READY%%ACTIVITIES%
                and not exists (select 1 from %PREFIX%task_queue q where q.name = :queue
                  and (q.paused or q.max_in_flight is not null or q.rate_limit is not null or q.fair))
              order by priority desc, id
              limit :limit for update skip locked
            )
            update %PREFIX%task t set claim_token = gen_random_uuid()::text, claimed_by = :node,
              claim_expires_ms = :now + t.visibility_timeout_ms, claims = t.claims + 1
            from picked where t.id = picked.id
            returning t.id, t.priority, t.run_id, t.seq, t.attempt, t.queue, t.activity, t.input, t.visibility_timeout_ms,
              t.enqueued_ms, t.claim_token, t.claims, t.claim_expires_ms,
              (select r.status from %PREFIX%run r where r.id = t.run_id) as run_status,
              (select r.cancel_requested from %PREFIX%run r where r.id = t.run_id) as run_cancelling"""
            .replace("%READY%", JdbcTaskClaims.READY);

    // The task goes only under its claim; the entry and the run's wake flag follow only if it went.
    private static final String COMPLETE = """
            with removed as (
              delete from %PREFIX%task where run_id = :runId and seq = :seq and claim_token = :token returning run_id
            ), woken as (
              update %PREFIX%run set wake_requested = true, wake_at = null, updated_at = now()
              where id = :runId and status = 'running' and exists (select 1 from removed) returning id
            ), adopted as (
              update %PREFIX%journal set state = :state, result = :result, error_type = :errorType,
                error_message = :errorMessage, error_category = :errorCategory, error_code = :errorCode,
                error_stack = :errorStack, updated_at = now()
              where run_id = :runId and seq = :seq and attempt = :attempt and state = 'queued' and kind = 'activity'
                and exists (select 1 from removed)
              returning seq
            )
            select (select count(*) from removed) as removed""";

    // The runs to wake are locked first, in id order, as a commit batch locks runs, so that the two
    // never wait on each other in a cycle.
    private static final String LOCK_RUNS = "select id from %PREFIX%run where id = any(?) order by id for update";

    // Many outcomes as COMPLETE writes one: each task goes only under its claim; its entry and its
    // run's wake flag follow only if it went.
    private static final String COMPLETE_ALL = """
            with given as (
              select * from unnest(?::text[], ?::int8[], ?::int4[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                ?::text[], ?::text[], ?::text[])
                as g(run_id, seq, attempt, token, state, result, error_type, error_message, error_category, error_code,
                  error_stack)
            ), removed as (
              delete from %PREFIX%task t using given g
              where t.run_id = g.run_id and t.seq = g.seq and t.claim_token = g.token
              returning t.claim_token
            ), woken as (
              update %PREFIX%run r set wake_requested = true, wake_at = null, updated_at = now()
              where r.status = 'running' and r.id in (select g.run_id from given g join removed d on d.claim_token = g.token)
              returning r.id
            ), adopted as (
              update %PREFIX%journal j set state = g.state, result = g.result, error_type = g.error_type,
                error_message = g.error_message, error_category = g.error_category, error_code = g.error_code,
                error_stack = g.error_stack, updated_at = now()
              from given g join removed d on d.claim_token = g.token
              where j.run_id = g.run_id and j.seq = g.seq and j.attempt = g.attempt and j.state = 'queued' and j.kind = 'activity'
              returning j.seq
            )
            select claim_token from removed""";

    private final StoreTemplate store;
    private final ParsedSql claim;
    /** The claim of only some activities' tasks, for remote workers. */
    private final ParsedSql claimOfActivities;
    private final ParsedSql complete;
    private final String lockRuns;
    private final String completeAll;

    PostgresTaskStatements(StoreTemplate store) {
        this.store = store;
        this.claim = NamedParameterUtils.parseSqlStatement(store.resolve(JdbcTaskClaims.filtered(CLAIM, null)));
        this.claimOfActivities = NamedParameterUtils.parseSqlStatement(store.resolve(JdbcTaskClaims.filtered(CLAIM, List.of())));
        this.complete = NamedParameterUtils.parseSqlStatement(store.resolve(COMPLETE));
        this.lockRuns = store.resolve(LOCK_RUNS);
        this.completeAll = store.resolve(COMPLETE_ALL);
    }

    /**
     * Claims up to {@code limit} ready tasks of a plain queue (no pause, limit or fairness) in claim
     * order (priority, then age); nothing from any other queue, and with {@code activities} only
     * tasks of those activities.
     */
    List<Taken> claim(String queue, String node, int limit, long nowMs, @Nullable Collection<String> activities) {
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("queue", queue).addValue("node", node)
                .addValue("now", nowMs).addValue("limit", limit);
        ParsedSql statement = activities == null ? claim : claimOfActivities;
        if (activities != null) {
            params.addValue("activities", List.copyOf(activities));
        }
        List<Taken> taken = store.translated("claim tasks of queue '" + queue + "' for node '" + node + "'",
                () -> OwnTransaction.run(store.batch().getJdbcTemplate(), connection -> {
                    List<Taken> rows = new ArrayList<>();
                    try (PreparedStatement prepared = prepared(connection, statement, params); ResultSet rs = prepared.executeQuery()) {
                        while (rs.next()) {
                            rows.add(taken(rs));
                        }
                    }
                    return rows;
                }));
        return taken.stream().sorted(Comparator.comparingInt(Taken::priority).reversed().thenComparingLong(Taken::id)).toList();
    }

    /** Writes an outcome under its claim; {@code false} when the claim is not the task's (nothing changed). */
    boolean complete(MapSqlParameterSource params) {
        // a deadlock victim (the outcome of another task of the same run, written at the same time) is written again
        return store.retriedOnLockFailure("write the outcome of a task of run '" + params.getValue("runId") + "'",
                () -> OwnTransaction.run(store.batch().getJdbcTemplate(), connection -> {
                    try (PreparedStatement statement = prepared(connection, complete, params); ResultSet rs = statement.executeQuery()) {
                        return rs.next() && rs.getLong("removed") > 0;
                    }
                }));
    }

    /**
     * Writes many outcomes, each under its claim, in one statement; answers the claim tokens whose
     * task was still theirs (the others changed nothing).
     */
    Set<String> completeAll(List<TaskOutcome> outcomes) {
        Object[] runIds = outcomes.stream().map(outcome -> outcome.task().runId()).distinct().sorted().toArray();
        return store.retriedOnLockFailure("write the outcomes of " + outcomes.size() + " tasks",
                () -> OwnTransaction.runStatements(store.batch().getJdbcTemplate(), connection -> {
                    try (PreparedStatement lock = connection.prepareStatement(lockRuns)) {
                        lock.setArray(1, connection.createArrayOf("text", runIds));
                        lock.executeQuery().close();
                    }
                    Set<String> written = new HashSet<>();
                    try (PreparedStatement statement = connection.prepareStatement(completeAll)) {
                        new ArrayParameters<>(connection, statement, outcomes)
                                .text(outcome -> outcome.task().runId()).int8(outcome -> outcome.task().seq())
                                .int4(outcome -> outcome.task().attempt()).text(outcome -> outcome.task().claimToken())
                                .text(outcome -> JdbcValues.wireName(outcome.state())).text(TaskOutcome::resultJson)
                                .failure(TaskOutcome::failure);
                        try (ResultSet rs = statement.executeQuery()) {
                            while (rs.next()) {
                                written.add(rs.getString(1));
                            }
                        }
                    }
                    return written;
                }));
    }

    private static PreparedStatement prepared(Connection connection, ParsedSql parsed, SqlParameterSource params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(NamedParameterUtils.substituteNamedParameters(parsed, params));
        // a collection parameter (the activities) became one placeholder per element: its values go in flat, in order
        List<Object> values = new ArrayList<>();
        for (Object value : NamedParameterUtils.buildValueArray(parsed, params, null)) {
            if (value instanceof Collection<?> elements) {
                values.addAll(elements);
            } else {
                values.add(value);
            }
        }
        new ArgumentPreparedStatementSetter(values.toArray()).setValues(statement);
        return statement;
    }

    private static Taken taken(ResultSet rs) throws SQLException {
        return new Taken(JdbcTaskClaims.readClaimed(rs), rs.getLong("id"), rs.getInt("priority"), "running".equals(rs.getString("run_status")),
                rs.getBoolean("run_cancelling"));
    }
}
