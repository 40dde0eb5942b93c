package dev.weft.soak;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The execution log the activities keep themselves, in a table beside the engine's
 * ({@code soak_execution}): a row when an execution begins and its end stamped when it returns or
 * throws, with the node, the process, the run, the step and the attempt. Times are the worker's
 * clock in microseconds (every process of the soak runs on one machine, with one clock). The log
 * is written over a connection of its own that does not cross the node's proxy, so what an
 * isolated node does is still seen; writes are retried through a database restart.
 */
final class ExecutionLog {

    /** How long a log write is retried before the activity gives up (and fails its attempt). */
    static final Duration WRITE_PATIENCE = Duration.ofSeconds(60);

    /** One execution, as recorded. */
    record Execution(String runId, String step, int attempt, String node, long pid, Instant startedAt, @Nullable Instant finishedAt) {
    }

    private final DataSource dataSource;
    private final String node;
    private final long pid = ProcessHandle.current().pid();

    ExecutionLog(DataSource dataSource, String node) {
        this.dataSource = dataSource;
        this.node = node;
    }

    /** Creates the table (portable SQL: PostgreSQL and MariaDB alike). */
    static void createTable(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    create table if not exists soak_execution (
                        id          varchar(36)  not null primary key,
                        run_id      varchar(200) not null,
                        step        varchar(50)  not null,
                        attempt     integer      not null,
                        node        varchar(50)  not null,
                        pid         bigint       not null,
                        started_us  bigint       not null,
                        finished_us bigint
                    )""");
        }
    }

    /** Records that an execution began now; returns its id for {@link #finish(String)}. */
    String begin(String runId, String step, int attempt) throws InterruptedException {
        String id = UUID.randomUUID().toString();
        long startedMicros = micros(Instant.now());
        write("begin " + step + " of " + runId, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into soak_execution (id, run_id, step, attempt,"
                    + " node, pid, started_us) values (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, runId);
                insert.setString(3, step);
                insert.setInt(4, attempt);
                insert.setString(5, node);
                insert.setLong(6, pid);
                insert.setLong(7, startedMicros);
                insert.executeUpdate();
            } catch (SQLException e) {
                // an earlier try that was committed although its answer was lost
                if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                    throw e;
                }
            }
        });
        return id;
    }

    /**
     * Records that the execution ended now. An interruption (the engine stopping the attempt) does
     * not stop the write: it is held back and restored once the end is recorded.
     */
    void finish(String id) {
        long finishedMicros = micros(Instant.now());
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    write("finish " + id, connection -> {
                        try (PreparedStatement update = connection.prepareStatement(
                                "update soak_execution set finished_us = ? where id = ?")) {
                            update.setLong(1, finishedMicros);
                            update.setString(2, id);
                            update.executeUpdate();
                        }
                    });
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Every recorded execution. */
    static List<Execution> readAll(DataSource dataSource) throws SQLException {
        List<Execution> all = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select run_id, step, attempt, node, pid, started_us, finished_us"
                        + " from soak_execution")) {
            while (rows.next()) {
                long finished = rows.getLong("finished_us");
                all.add(new Execution(rows.getString("run_id"), rows.getString("step"), rows.getInt("attempt"), rows.getString("node"),
                        rows.getLong("pid"), instant(rows.getLong("started_us")), rows.wasNull() ? null : instant(finished)));
            }
        }
        return all;
    }

    private interface Write {
        void to(Connection connection) throws SQLException;
    }

    private void write(String what, Write write) throws InterruptedException {
        long deadline = System.nanoTime() + WRITE_PATIENCE.toNanos();
        while (true) {
            try (Connection connection = dataSource.getConnection()) {
                write.to(connection);
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the execution log could not record '" + what + "' within " + WRITE_PATIENCE, e);
                }
                Thread.sleep(200);
            }
        }
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }
}
