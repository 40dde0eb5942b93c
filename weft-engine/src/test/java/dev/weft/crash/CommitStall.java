package dev.weft.crash;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Catches the child's group commit inside a transaction: a data source whose connections look, at
 * each {@code commit()}, at the journal rows the transaction wrote (PostgreSQL's {@code xmin}).
 * Once armed, it holds the first checkpoint transaction until the expected activity executions
 * have all returned, so their checkpoints pile up behind it; it then lets that one commit and
 * stops for good in the next checkpoint transaction that carries checkpoints of at least two runs,
 * before the commit is sent, announcing {@code IN_COMMIT <updated_at> <run>:<seq>:<state>:<attempt>...}.
 * The parent kills the process there.
 */
final class CommitStall {

    private enum Phase { IDLE, HOLDING, STALLING, STALLING_NEXT, STALLED }

    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final String journalRows;
    private final IntSupplier returnedExecutions;
    private final Consumer<String> announce;
    private volatile Phase phase = Phase.IDLE;
    private volatile int awaitedExecutions;

    CommitStall(String tablePrefix, IntSupplier returnedExecutions, Consumer<String> announce) {
        this.journalRows = "select run_id, seq, state, attempt, updated_at from " + tablePrefix + "journal"
                + " where xmin = pg_current_xact_id()::xid order by run_id, seq";
        this.returnedExecutions = returnedExecutions;
        this.announce = announce;
    }

    /** Arms the stall: the counter of returned executions must reach {@code executions} before the first commit. */
    void arm(int executions) {
        awaitedExecutions = executions;
        phase = Phase.HOLDING;
    }

    /** Arms the stall for the very next transaction that writes journal rows, whatever it is. */
    void armNext() {
        phase = Phase.STALLING_NEXT;
    }

    DataSource wrap(DataSource target) {
        return new DelegatingDataSource(target) {
            @Override
            public Connection getConnection() throws SQLException {
                return watched(super.getConnection());
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return watched(super.getConnection(username, password));
            }
        };
    }

    private Connection watched(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit") && method.getParameterCount() == 0) {
                        beforeCommit(connection);
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void beforeCommit(Connection connection) throws SQLException {
        if (phase == Phase.IDLE || phase == Phase.STALLED) {
            return;
        }
        List<String> rows = new ArrayList<>();
        Set<String> runs = new HashSet<>();
        String updatedAt = null;
        try (PreparedStatement statement = connection.prepareStatement(journalRows); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString("run_id") + ":" + rs.getLong("seq") + ":" + rs.getString("state") + ":" + rs.getInt("attempt"));
                runs.add(rs.getString("run_id"));
                updatedAt = rs.getObject("updated_at", java.time.OffsetDateTime.class).toInstant().toString();
            }
        }
        if (rows.isEmpty()) {
            return; // a claim or a lease renewal, not a checkpoint batch
        }
        if (phase == Phase.HOLDING) {
            long deadline = System.nanoTime() + PATIENCE_NANOS;
            while (returnedExecutions.getAsInt() < awaitedExecutions && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
            announce.accept("HELD_COMMIT " + rows.size());
            phase = Phase.STALLING;
            return;
        }
        if (phase == Phase.STALLING && runs.size() < 2) {
            return;
        }
        phase = Phase.STALLED;
        announce.accept("IN_COMMIT " + updatedAt + " " + String.join(" ", rows));
        while (true) {
            LockSupport.park(this);
        }
    }
}
