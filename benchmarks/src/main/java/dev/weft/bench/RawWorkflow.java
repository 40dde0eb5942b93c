package dev.weft.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The baseline R: the durable rows of a workflow written without an engine. One run row, one
 * journal row per step and the run's completion, each its own transaction (autocommit), into the
 * engine's own tables: the work a library that commits once per step has to do at the least.
 */
final class RawWorkflow {

    private static final String INSERT_RUN = """
            insert into weft_run (id, type, status, input, owner, epoch, lease_expires_at, claimed_at, cancel_requested,
              created_at, updated_at)
            values (?, ?, 'running', ?, 'raw', 1, current_timestamp, current_timestamp, false, current_timestamp,
              current_timestamp)""";

    private static final String INSERT_STEP = """
            insert into weft_journal (run_id, seq, kind, name, state, result, attempt, scheduled_at, updated_at)
            values (?, ?, 'activity', ?, 'completed', ?, 1, current_timestamp, current_timestamp)""";

    private static final String COMPLETE_RUN = """
            update weft_run set status = 'completed', result = ?, owner = null, lease_expires_at = null,
              completed_at = current_timestamp, updated_at = current_timestamp
            where id = ? and epoch = 1 and status = 'running'""";

    private final DataSource dataSource;
    private final String type;

    RawWorkflow(DataSource dataSource, String type) {
        this.dataSource = dataSource;
        this.type = type;
    }

    /** Writes one workflow of {@code steps} steps: {@code steps + 2} commits. */
    void run(int input, int steps) throws SQLException {
        String id = UUID.randomUUID().toString();
        String value = Integer.toString(input);
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(true);
            try (PreparedStatement insert = conn.prepareStatement(INSERT_RUN)) {
                insert.setString(1, id);
                insert.setString(2, type);
                insert.setString(3, value);
                insert.executeUpdate();
            }
            if (steps > 0) {
                try (PreparedStatement step = conn.prepareStatement(INSERT_STEP)) {
                    for (int seq = 1; seq <= steps; seq++) {
                        step.setString(1, id);
                        step.setLong(2, seq);
                        step.setString(3, "noop");
                        step.setString(4, value);
                        step.executeUpdate();
                    }
                }
            }
            try (PreparedStatement complete = conn.prepareStatement(COMPLETE_RUN)) {
                complete.setString(1, value);
                complete.setString(2, id);
                if (complete.executeUpdate() != 1) {
                    throw new IllegalStateException("run " + id + " was not completed");
                }
            }
        }
    }

    /** Writes one journal row in its own transaction (for runs that already exist). */
    static void step(Connection conn, String runId, long seq, String result) throws SQLException {
        try (PreparedStatement step = conn.prepareStatement(INSERT_STEP)) {
            step.setString(1, runId);
            step.setLong(2, seq);
            step.setString(3, "noop");
            step.setString(4, result);
            step.executeUpdate();
        }
    }

    /** Inserts a run row in its own transaction. */
    static void insertRun(Connection conn, String runId, String type) throws SQLException {
        try (PreparedStatement insert = conn.prepareStatement(INSERT_RUN)) {
            insert.setString(1, runId);
            insert.setString(2, type);
            insert.setString(3, "0");
            insert.executeUpdate();
        }
    }

    /** Completes a run in its own transaction. */
    static void complete(Connection conn, String runId) throws SQLException {
        try (PreparedStatement complete = conn.prepareStatement(COMPLETE_RUN)) {
            complete.setString(1, "0");
            complete.setString(2, runId);
            complete.executeUpdate();
        }
    }
}
