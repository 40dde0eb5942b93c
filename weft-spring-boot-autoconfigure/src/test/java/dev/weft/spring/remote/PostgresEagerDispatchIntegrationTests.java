package dev.weft.spring.remote;

import dev.weft.spring.RequiresPostgres;
import javax.sql.DataSource;

/** Eager dispatch to remote workers on PostgreSQL; needs {@code WEFT_TEST_POSTGRES_URL} (a failure on CI without it). */
class PostgresEagerDispatchIntegrationTests extends EagerDispatchScenarios {

    @Override
    protected DataSource dataSource() {
        return pool(RequiresPostgres.url("eager dispatch scenarios"), "WEFT_TEST_POSTGRES", "postgres");
    }
}
