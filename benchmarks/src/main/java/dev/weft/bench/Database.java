package dev.weft.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weft.store.jdbc.JdbcDialect;
import dev.weft.store.jdbc.JdbcSchemaInitializer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One database under test: where it is, a fresh pool per trial, the schema, and (on PostgreSQL)
 * the server's own counters of commits and WAL bytes.
 *
 * <p>PostgreSQL and MariaDB use a database of their own, {@value #NAME}, so that the commit counter
 * of PostgreSQL counts only the benchmark's transactions. WAL is one stream for the whole server:
 * other sessions on it add to the WAL figures.
 */
final class Database {

    static final String NAME = "weft_bench";
    static final String PREFIX = "weft_";
    private static final String APPLICATION = "weft-bench-trial";

    enum Kind { POSTGRESQL, MARIADB, H2 }

    private final Kind kind;
    private final String url;
    private final String user;
    private final String password;
    private final JdbcDialect dialect;

    private Database(Kind kind, String url, String user, String password, JdbcDialect dialect) {
        this.kind = kind;
        this.url = url;
        this.user = user;
        this.password = password;
        this.dialect = dialect;
    }

    /** The database at {@code url} as {@link #postgres()} created it (in a child process). */
    static Database postgresAt(String url, String user, String password) {
        return new Database(Kind.POSTGRESQL, url, user, password, JdbcDialect.POSTGRESQL);
    }

    static Database postgres() {
        String server = env("WEFT_BENCH_POSTGRES", "127.0.0.1:5432");
        String user = env("WEFT_BENCH_POSTGRES_USER", "postgres");
        String password = env("WEFT_BENCH_POSTGRES_PASSWORD", "");
        execute("jdbc:postgresql://" + server + "/postgres", user, password, conn -> {
            try (ResultSet rs = conn.createStatement().executeQuery("select 1 from pg_database where datname = '" + NAME + "'")) {
                if (!rs.next()) {
                    conn.createStatement().execute("create database " + NAME);
                }
            }
        });
        return new Database(Kind.POSTGRESQL, "jdbc:postgresql://" + server + "/" + NAME, user, password, JdbcDialect.POSTGRESQL);
    }

    static Database mariadb() {
        String server = env("WEFT_BENCH_MARIADB", "127.0.0.1:3306");
        String user = env("WEFT_BENCH_MARIADB_USER", "root");
        String password = env("WEFT_BENCH_MARIADB_PASSWORD", "");
        execute("jdbc:mariadb://" + server + "/", user, password,
                conn -> conn.createStatement().execute("create database if not exists " + NAME));
        return new Database(Kind.MARIADB, "jdbc:mariadb://" + server + "/" + NAME, user, password, JdbcDialect.MARIADB);
    }

    /** An H2 file database (not in memory: a commit has to reach the file). */
    static Database h2() {
        return new Database(Kind.H2, "jdbc:h2:file:./target/h2/" + NAME, "sa", "", JdbcDialect.H2);
    }

    Kind kind() {
        return kind;
    }

    String label() {
        return switch (kind) {
            case POSTGRESQL -> "PostgreSQL";
            case MARIADB -> "MariaDB";
            case H2 -> "H2";
        };
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    JdbcDialect dialect() {
        return dialect;
    }

    /** A pool for one trial; closing it ends its sessions, which makes PostgreSQL publish their counters. */
    HikariDataSource pool(int size) {
        return pool(size, APPLICATION);
    }

    /** A pool whose sessions carry {@code application} as their name (PostgreSQL). */
    HikariDataSource pool(int size, String application) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Duration.ofSeconds(60).toMillis());
        config.setPoolName(application);
        if (kind == Kind.POSTGRESQL) {
            config.addDataSourceProperty("ApplicationName", application);
        }
        return new HikariDataSource(config);
    }

    /** Drops and creates the engine's tables and the benchmark's own. */
    void recreateSchema() {
        try (HikariDataSource pool = pool(2)) {
            execute(pool, conn -> {
                for (String table : List.of("journal", "signal", "node", "run", "task", "task_queue", "batch_probe", "pgbench_probe")) {
                    conn.createStatement().execute("drop table if exists " + PREFIX + table);
                }
                conn.createStatement().execute("create table " + PREFIX + "batch_probe (id bigint not null primary key, "
                        + "payload varchar(100) not null)");
            });
            JdbcSchemaInitializer.initialize(pool, dialect, PREFIX);
        }
        awaitSessionsEnded();
    }

    /** Empties the tables between trials, so every trial starts from the same size. */
    void truncate() {
        try (HikariDataSource pool = pool(1)) {
            execute(pool, conn -> {
                for (String table : List.of("journal", "signal", "node", "run", "task", "task_queue", "batch_probe")) {
                    conn.createStatement().execute((kind == Kind.H2 ? "truncate table " : "truncate table ") + PREFIX + table);
                }
            });
        }
        awaitSessionsEnded();
    }

    /** PostgreSQL's counters now, or {@code null} elsewhere. */
    @Nullable ServerCounters counters() {
        if (kind != Kind.POSTGRESQL) {
            return null;
        }
        awaitSessionsEnded();
        long[] values = new long[2];
        execute(adminUrl(), user, password, conn -> {
            try (Statement st = conn.createStatement()) {
                st.execute("select pg_stat_clear_snapshot()");
                try (ResultSet rs = st.executeQuery("select xact_commit from pg_stat_database where datname = '" + NAME + "'")) {
                    rs.next();
                    values[0] = rs.getLong(1);
                }
                try (ResultSet rs = st.executeQuery("select pg_current_wal_lsn() - '0/0'::pg_lsn")) {
                    rs.next();
                    values[1] = rs.getLong(1);
                }
            }
        });
        return new ServerCounters(values[0], values[1]);
    }

    /** Bytes of the engine's tables with their indexes and TOAST (PostgreSQL). */
    long engineTableBytes() {
        long[] bytes = new long[1];
        execute(url, user, password, conn -> {
            try (ResultSet rs = conn.createStatement().executeQuery("select pg_total_relation_size('" + PREFIX + "run') + "
                    + "pg_total_relation_size('" + PREFIX + "journal') + pg_total_relation_size('" + PREFIX + "signal')")) {
                rs.next();
                bytes[0] = rs.getLong(1);
            }
        });
        return bytes[0];
    }

    String version() {
        String[] version = new String[1];
        execute(url, user, password, conn -> version[0] = conn.getMetaData().getDatabaseProductName() + " "
                + conn.getMetaData().getDatabaseProductVersion());
        return version[0];
    }

    /** Waits until the sessions of closed trial pools are gone on the server (PostgreSQL). */
    void awaitSessionsEnded() {
        awaitSessionsEnded(APPLICATION);
    }

    /** Waits until no session named {@code application} is left on the server (PostgreSQL). */
    void awaitSessionsEnded(String application) {
        if (kind != Kind.POSTGRESQL) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            long[] sessions = new long[1];
            execute(adminUrl(), user, password, conn -> {
                try (ResultSet rs = conn.createStatement().executeQuery(
                        "select count(*) from pg_stat_activity where application_name = '" + application + "'")) {
                    rs.next();
                    sessions[0] = rs.getLong(1);
                }
            });
            if (sessions[0] == 0) {
                return;
            }
            Benchmarks.pause(Duration.ofMillis(10));
        }
        throw new IllegalStateException("sessions of " + application + " did not end");
    }

    private String adminUrl() {
        return url.substring(0, url.lastIndexOf('/')) + "/postgres";
    }

    /** Counters of the PostgreSQL server: commits in the benchmark's database, and the WAL position. */
    record ServerCounters(long commits, long walBytes) {
        ServerCounters minus(ServerCounters before) {
            return new ServerCounters(commits - before.commits, walBytes - before.walBytes);
        }
    }

    interface SqlWork {
        void run(Connection connection) throws SQLException;
    }

    static void execute(javax.sql.DataSource dataSource, SqlWork work) {
        try (Connection conn = dataSource.getConnection()) {
            work.run(conn);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void execute(String url, String user, String password, SqlWork work) {
        try (Connection conn = DriverManager.getConnection(url, user, password)) {
            work.run(conn);
        } catch (SQLException e) {
            throw new IllegalStateException(url + ": " + e.getMessage(), e);
        }
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }
}
