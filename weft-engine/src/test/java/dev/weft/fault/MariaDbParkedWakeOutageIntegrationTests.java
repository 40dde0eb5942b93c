package dev.weft.fault;

import dev.weft.testing.TestDatabase;

class MariaDbParkedWakeOutageIntegrationTests extends ParkedWakeOutageTests {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
