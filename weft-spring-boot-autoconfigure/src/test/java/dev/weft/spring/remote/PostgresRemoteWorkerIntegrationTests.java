package dev.weft.spring.remote;

import dev.weft.spring.RequiresPostgres;
import javax.sql.DataSource;

/** The remote worker scenarios on PostgreSQL; needs {@code WEFT_TEST_POSTGRES_URL} (a failure on CI without it). */
class PostgresRemoteWorkerIntegrationTests extends RemoteWorkerScenarios {

    @Override
    protected DataSource dataSource() {
        return pool(RequiresPostgres.url("remote worker scenarios"), "WEFT_TEST_POSTGRES", "postgres");
    }
}
