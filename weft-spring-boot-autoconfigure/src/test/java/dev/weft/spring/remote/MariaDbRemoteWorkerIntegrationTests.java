package dev.weft.spring.remote;

import dev.weft.spring.RequiresMariaDb;
import javax.sql.DataSource;

/** The remote worker scenarios on MariaDB; needs {@code WEFT_TEST_MARIADB_URL} (a failure on CI without it). */
class MariaDbRemoteWorkerIntegrationTests extends RemoteWorkerScenarios {

    @Override
    protected DataSource dataSource() {
        return pool(RequiresMariaDb.url("remote worker scenarios"), "WEFT_TEST_MARIADB", "root");
    }
}
