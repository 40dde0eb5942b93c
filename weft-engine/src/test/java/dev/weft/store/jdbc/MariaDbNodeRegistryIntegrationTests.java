package dev.weft.store.jdbc;

import dev.weft.testing.TestDatabase;

/** The node registry contract on MariaDb. */
class MariaDbNodeRegistryIntegrationTests extends NodeRegistryContractTests {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
