package dev.weft.fault;

import dev.weft.testing.TestDatabase;

class PostgresParkedWakeOutageIntegrationTests extends ParkedWakeOutageTests {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
