package dev.weft.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A private server keeps what was committed through a crash and comes back on its port. Talked to
 * through the servers' own command-line clients: this module has no JDBC driver.
 */
class PrivateDatabaseTests {

    private static final Duration PATIENCE = Duration.ofMinutes(1);

    @Test
    void aPrivatePostgresKeepsACommittedRowThroughACrashAndRestart() {
        assumeTrue(System.getenv("CI") != null || PrivatePostgres.isAvailable(), "needs root and PostgreSQL 15's binaries");
        try (PrivatePostgres postgres = PrivatePostgres.start(Path.of("target", "private-postgres"))) {
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres");
            psql(postgres, "create table kept (value text); insert into kept values ('before the crash')");

            postgres.crashAndRestart();

            assertThat(psql(postgres, "select value from kept").strip()).isEqualTo("before the crash");
        }
    }

    @Test
    void aPrivateMariaDbKeepsACommittedRowThroughACrashAndRestart() {
        assumeTrue(System.getenv("CI") != null || PrivateMariaDb.isAvailable(), "needs root and mariadbd");
        try (PrivateMariaDb mariadb = PrivateMariaDb.start(Path.of("target", "private-mariadb"))) {
            assertThat(mariadb.jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:" + mariadb.port() + "/soak");
            mariadb(mariadb, "create table kept (value varchar(50)); insert into kept values ('before the crash')");

            mariadb.crashAndRestart();

            assertThat(mariadb(mariadb, "select value from kept").strip()).isEqualTo("before the crash");
        }
    }

    private static String psql(PrivatePostgres postgres, String sql) {
        return LocalCommand.run(PATIENCE, List.of(Path.of(System.getenv().getOrDefault("WEFT_PG_BIN", "/usr/lib/postgresql/15/bin"),
                "psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(postgres.port()), "-U", postgres.user(), "-d", "postgres",
                "-v", "ON_ERROR_STOP=1", "-Atc", sql));
    }

    private static String mariadb(PrivateMariaDb mariadb, String sql) {
        return LocalCommand.run(PATIENCE, List.of("mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", Integer.toString(mariadb.port()),
                "-u", mariadb.user(), "-N", "-B", "-e", sql, PrivateMariaDb.DATABASE));
    }
}
