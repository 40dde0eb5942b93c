package dev.weft.spring.remote;

import dev.weft.spring.RequiresMariaDb;
import javax.sql.DataSource;

/** Eager dispatch to remote workers on MariaDB; needs {@code WEFT_TEST_MARIADB_URL} (a failure on CI without it). */
class MariaDbEagerDispatchIntegrationTests extends EagerDispatchScenarios {

    @Override
    protected DataSource dataSource() {
        return pool(RequiresMariaDb.url("eager dispatch scenarios"), "WEFT_TEST_MARIADB", "root");
    }
}
