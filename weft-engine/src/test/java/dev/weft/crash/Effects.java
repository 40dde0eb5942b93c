package dev.weft.crash;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The side effects of activity executions, in a table of their own ({@code <prefix>effects}) next to
 * the engine's: one row per execution, inserted when it begins and stamped when it returns, each in
 * its own autocommit statement. Rows survive a SIGKILL of the process that wrote them, so a test can
 * count executions across processes and see which ones a kill cut short. Times are the database's
 * clock, the one clock every process shares. PostgreSQL only.
 */
final class Effects {

    /** One execution of an activity attempt, as recorded. */
    record Execution(String runId, String activity, int attempt, String node, long pid, Instant executedAt,
            @Nullable Instant finishedAt) {

        /** Whether it ran to its end (returned or threw) rather than being cut short. */
        boolean finished() {
            return finishedAt != null;
        }
    }

    private final JdbcClient jdbc;
    private final String table;
    private final String node;

    Effects(DataSource dataSource, String tablePrefix, String node) {
        this.jdbc = JdbcClient.create(dataSource);
        this.table = tablePrefix + "effects";
        this.node = node;
    }

    void createTable() {
        jdbc.sql("""
                create table if not exists %s (
                    id          bigserial                primary key,
                    run_id      varchar(200)             not null,
                    activity    varchar(200)             not null,
                    attempt     integer                  not null,
                    node        varchar(200)             not null,
                    pid         bigint                   not null,
                    executed_at timestamp with time zone not null default clock_timestamp(),
                    finished_at timestamp with time zone
                )""".formatted(table)).update();
    }

    void dropTable() {
        jdbc.sql("drop table if exists " + table).update();
    }

    /** Records that an execution began; returns its row id for {@link #finish(long)}. */
    long begin(String runId, String activity, int attempt) {
        return jdbc.sql("insert into " + table + " (run_id, activity, attempt, node, pid) values (:runId, :activity, :attempt,"
                        + " :node, :pid) returning id")
                .param("runId", runId)
                .param("activity", activity)
                .param("attempt", attempt)
                .param("node", node)
                .param("pid", ProcessHandle.current().pid())
                .query(Long.class)
                .single();
    }

    /** Records that the execution ended, just before the activity returns or throws. */
    void finish(long id) {
        jdbc.sql("update " + table + " set finished_at = clock_timestamp() where id = :id").param("id", id).update();
    }

    List<Execution> all() {
        return jdbc.sql("select run_id, activity, attempt, node, pid, executed_at, finished_at from " + table
                        + " order by executed_at, id")
                .query(Effects::execution)
                .list();
    }

    List<Execution> of(String activity) {
        return all().stream().filter(execution -> execution.activity().equals(activity)).toList();
    }

    /** The database's clock now, the clock the rows are stamped with. */
    Instant databaseNow() {
        return jdbc.sql("select clock_timestamp() as now").query((rs, row) -> instant(rs, "now")).single();
    }

    private static Execution execution(ResultSet rs, int row) throws SQLException {
        return new Execution(rs.getString("run_id"), rs.getString("activity"), rs.getInt("attempt"), rs.getString("node"),
                rs.getLong("pid"), instant(rs, "executed_at"), instant(rs, "finished_at"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
