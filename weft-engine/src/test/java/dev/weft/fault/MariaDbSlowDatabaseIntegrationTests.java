package dev.weft.fault;

import dev.weft.testing.TestDatabase;

class MariaDbSlowDatabaseIntegrationTests extends SlowDatabaseTests {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
