package dev.weft.spring.remote;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.spring.RequiresPostgres;
import javax.sql.DataSource;

/** The remote worker scenarios on PostgreSQL; needs {@code WEFT_TEST_POSTGRES_URL} (a failure on CI without it). */
class PostgresRemoteWorkerIntegrationTests extends RemoteWorkerScenarios {

    private HikariDataSource hikari;

    @Override
    protected DataSource dataSource() {
        hikari = new HikariDataSource();
        hikari.setJdbcUrl(RequiresPostgres.url("remote worker scenarios"));
        String user = System.getenv("WEFT_TEST_POSTGRES_USER");
        hikari.setUsername(user == null ? "postgres" : user);
        String password = System.getenv("WEFT_TEST_POSTGRES_PASSWORD");
        hikari.setPassword(password == null ? "" : password);
        hikari.setMaximumPoolSize(4);
        return hikari;
    }

    @Override
    protected void closeDataSource() {
        if (hikari != null) {
            hikari.close();
        }
    }
}
