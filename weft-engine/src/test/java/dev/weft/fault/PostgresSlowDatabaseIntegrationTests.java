package dev.weft.fault;

import dev.weft.testing.TestDatabase;

class PostgresSlowDatabaseIntegrationTests extends SlowDatabaseTests {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
